import { BulwarkError } from '../../errors/index.js';

const UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * A waiver's end: a duration from now (`12h`, `30d`, `2w`) or an ISO date.
 *
 * @example
 * ```ts
 * parseExpiry('30d', new Date('2026-01-01T00:00:00Z')).toISOString(); // '2026-01-31T00:00:00.000Z'
 * ```
 */
export function parseExpiry(text: string, now: Date): Date {
  const relative = /^(\d+)([hdw])$/.exec(text.trim());
  if (relative) return new Date(now.getTime() + Number(relative[1]) * (UNITS[relative[2] ?? 'd'] ?? 0));
  const absolute = Date.parse(text);
  if (Number.isNaN(absolute)) throw new BulwarkError('CHANNEL_WAIVER_INVALID', { reason: `cannot read the expiry ${JSON.stringify(text)}: use 12h, 30d, 2w or an ISO date` });
  return new Date(absolute);
}
