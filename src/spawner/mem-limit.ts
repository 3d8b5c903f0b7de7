import { BulwarkError } from '../errors/index.js';

const unitPowers: Record<string, number> = { '': 0, K: 1, M: 2, G: 3, T: 4 };

/**
 * Parses spawner.mem_limit like JupyterHub's ByteSpecification: a byte count, or a number with
 * K, M, G or T meaning powers of 1024 (`512M`, `1.5G`). Throws SPAWNER_INVALID_MEM_LIMIT otherwise.
 */
export function parseMemLimit(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)B?\s*$/i.exec(value);
  const power = match?.[2] === undefined ? undefined : unitPowers[match[2].toUpperCase()];
  if (match?.[1] === undefined || power === undefined) {
    throw new BulwarkError('SPAWNER_INVALID_MEM_LIMIT', { value: JSON.stringify(value) });
  }
  const bytes = Math.floor(Number(match[1]) * 1024 ** power);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new BulwarkError('SPAWNER_INVALID_MEM_LIMIT', { value: JSON.stringify(value) });
  }
  return bytes;
}
