import { BulwarkError } from '../errors/index.js';

const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `3600`, `90m`, `12h`, `30d` -> seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) throw new BulwarkError('IDENTITY_INVALID_DURATION', { value: text });
  const seconds = Number(match[1]) * (units[match[2] || 's'] ?? 1);
  if (seconds <= 0) throw new BulwarkError('IDENTITY_INVALID_DURATION', { value: text });
  return seconds;
}
