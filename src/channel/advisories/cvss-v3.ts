/** A CVSS v3.x base score with its qualitative rating. */
export interface CvssScore {
  score: number;
  rating: 'none' | 'low' | 'medium' | 'high' | 'critical';
}

const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

// Privileges Required weighs more when the scope changes (the attacker reaches beyond the component).
const PR = { U: { N: 0.85, L: 0.62, H: 0.27 }, C: { N: 0.85, L: 0.68, H: 0.5 } } as const;

/** CVSS v3.1's Roundup: the smallest one-decimal number >= x, computed in integers to dodge float noise. */
function roundUp(value: number): number {
  const scaled = Math.round(value * 100_000);
  return scaled % 10_000 === 0 ? scaled / 100_000 : (Math.floor(scaled / 10_000) + 1) / 10;
}

function lookup<T extends Record<string, number>>(table: T, key: string | undefined, metric: string): number {
  if (key === undefined || !(key in table)) throw new Error(`CVSS vector lacks a valid ${metric}`);
  return table[key as keyof T] as number;
}

/**
 * Rates a base score with the CVSS v3 qualitative scale.
 *
 * @example
 * ```ts
 * cvssRating(7.5); // 'high'
 * ```
 */
export function cvssRating(score: number): CvssScore['rating'] {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

/**
 * Computes the base score of a CVSS v3.0 or v3.1 vector (FIRST specification, section 7.1).
 * Temporal and environmental metrics in the vector are ignored. Throws on a vector that is not
 * v3 or misses a base metric.
 *
 * @example
 * ```ts
 * cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H').score; // 9.8
 * ```
 */
export function cvss3BaseScore(vector: string): CvssScore {
  const parts = vector.trim().split('/');
  if (!/^CVSS:3\.[01]$/.test(parts[0] ?? '')) throw new Error(`not a CVSS v3 vector: ${vector}`);
  const metrics = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const [key, value] = part.split(':');
    if (key === undefined || value === undefined || metrics.has(key)) throw new Error(`malformed CVSS metric "${part}"`);
    metrics.set(key, value);
  }
  const scope = metrics.get('S');
  if (scope !== 'U' && scope !== 'C') throw new Error('CVSS vector lacks a valid S');
  const iss =
    1 -
    (1 - lookup(WEIGHTS.CIA, metrics.get('C'), 'C')) *
      (1 - lookup(WEIGHTS.CIA, metrics.get('I'), 'I')) *
      (1 - lookup(WEIGHTS.CIA, metrics.get('A'), 'A'));
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability =
    8.22 *
    lookup(WEIGHTS.AV, metrics.get('AV'), 'AV') *
    lookup(WEIGHTS.AC, metrics.get('AC'), 'AC') *
    lookup(PR[scope], metrics.get('PR'), 'PR') *
    lookup(WEIGHTS.UI, metrics.get('UI'), 'UI');
  let score = 0;
  if (impact > 0) score = scope === 'U' ? roundUp(Math.min(impact + exploitability, 10)) : roundUp(Math.min(1.08 * (impact + exploitability), 10));
  return { score, rating: cvssRating(score) };
}
