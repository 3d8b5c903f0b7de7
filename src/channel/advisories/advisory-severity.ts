import { cvss3BaseScore } from './cvss-v3.js';
import type { AdvisorySeverity } from './advisory.js';

// GHSA and most databases label severity with these words; each maps to the bottom of its CVSS
// band so that a HIGH without a vector still meets a 7.0 threshold.
const LABEL_SCORES: Readonly<Record<string, number>> = { CRITICAL: 9.0, HIGH: 7.0, MODERATE: 4.0, MEDIUM: 4.0, LOW: 0.1 };

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function labelScore(holder: unknown): number | null {
  const label = asRecord(holder)?.['severity'];
  return typeof label === 'string' ? (LABEL_SCORES[label.toUpperCase()] ?? null) : null;
}

/**
 * Derives an advisory's severity: the highest CVSS v3 base score among its `severity` vectors;
 * failing that, a `database_specific.severity` label (record or affected entry). CVSS v4
 * vectors are not scored (their macro-vector tables are not implemented) and fall to the label.
 *
 * @example
 * ```ts
 * advisorySeverity({ severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] }).score; // 9.8
 * ```
 */
export function advisorySeverity(raw: Record<string, unknown>): AdvisorySeverity {
  let best: AdvisorySeverity = { score: null, vector: null, source: 'none' };
  for (const entry of Array.isArray(raw['severity']) ? raw['severity'] : []) {
    const vector = asRecord(entry)?.['score'];
    if (typeof vector !== 'string' || !vector.startsWith('CVSS:3.')) continue;
    try {
      const { score } = cvss3BaseScore(vector);
      if (best.score === null || score > best.score) best = { score, vector, source: 'cvss_v3' };
    } catch {
      continue; // a malformed vector is treated as absent, never as a crash of the import
    }
  }
  if (best.source !== 'none') return best;
  const labels = [labelScore(raw['database_specific'])];
  for (const affected of Array.isArray(raw['affected']) ? raw['affected'] : []) {
    labels.push(labelScore(asRecord(affected)?.['database_specific']), labelScore(asRecord(affected)?.['ecosystem_specific']));
  }
  const scores = labels.filter((s): s is number => s !== null);
  return scores.length === 0 ? best : { score: Math.max(...scores), vector: null, source: 'label' };
}
