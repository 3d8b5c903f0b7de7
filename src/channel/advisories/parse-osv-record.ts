import { normalizeName, type OsvAffected, type OsvEvent } from '../../pypkg/index.js';
import { advisorySeverity } from './advisory-severity.js';
import type { Advisory } from './advisory.js';

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

// YAML and hand-written JSON sometimes carry numbers or dates where OSV says string.
function asText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) return value.toISOString();
  return null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(asText).filter((s): s is string => s !== null) : [];
}

const EVENT_KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

function trimAffected(raw: Record<string, unknown>): OsvAffected | null {
  const pkg = asRecord(raw['package']);
  const ecosystem = asText(pkg?.['ecosystem']);
  const name = asText(pkg?.['name']);
  // "PyPI" or "PyPI:<suffix>"; other ecosystems can never match a wheel.
  if (ecosystem === null || name === null || !/^PyPI(?::|$)/.test(ecosystem)) return null;
  const ranges: { type: string; events: OsvEvent[] }[] = [];
  for (const range of Array.isArray(raw['ranges']) ? raw['ranges'] : []) {
    const r = asRecord(range);
    if (r === null || r['type'] !== 'ECOSYSTEM') continue; // GIT ranges need a commit graph; SEMVER is not PEP 440
    const events: OsvEvent[] = [];
    for (const event of Array.isArray(r['events']) ? r['events'] : []) {
      const e = asRecord(event);
      const kind = EVENT_KINDS.find((k) => e !== null && k in e);
      const value = kind === undefined ? null : asText(e?.[kind]);
      if (kind !== undefined && value !== null) events.push({ [kind]: value });
    }
    ranges.push({ type: 'ECOSYSTEM', events });
  }
  return { package: { ecosystem: 'PyPI', name }, ranges, versions: strings(raw['versions']) };
}

/**
 * Turns one parsed OSV document (JSON or YAML) into an {@link Advisory}, or says why not.
 * Records with no PyPI package are refused: they can never match a file of this channel.
 *
 * @example
 * ```ts
 * const result = parseOsvRecord(JSON.parse(text));
 * if ('advisory' in result) store(result.advisory);
 * ```
 */
export function parseOsvRecord(raw: unknown): { advisory: Advisory } | { error: string } {
  const doc = asRecord(raw);
  const id = asText(doc?.['id']);
  if (doc === null || id === null || id === '') return { error: 'not an OSV record (no id)' };
  const affected = (Array.isArray(doc['affected']) ? doc['affected'] : [])
    .map((a) => asRecord(a))
    .filter((a): a is Record<string, unknown> => a !== null)
    .map(trimAffected)
    .filter((a): a is OsvAffected => a !== null);
  if (affected.length === 0) return { error: `${id}: affects no PyPI package` };
  const aliases = strings(doc['aliases']).filter((alias) => alias !== id);
  const withdrawn = asText(doc['withdrawn']);
  const summary = asText(doc['summary']) ?? asText(doc['details']) ?? '';
  const packages = [...new Set(affected.map((a) => normalizeName(a.package?.name ?? '')))];
  return {
    advisory: {
      id,
      aliases,
      packages,
      modified: asText(doc['modified']),
      published: asText(doc['published']),
      withdrawn: withdrawn === '' ? null : withdrawn,
      summary: summary.length > 300 ? `${summary.slice(0, 297)}...` : summary,
      malicious: id.startsWith('MAL-') || aliases.some((alias) => alias.startsWith('MAL-')),
      severity: advisorySeverity(doc),
      record: { id, withdrawn: withdrawn === '' ? null : withdrawn, affected },
    },
  };
}
