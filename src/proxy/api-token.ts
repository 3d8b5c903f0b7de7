import { timingSafeEqual } from 'node:crypto';

/**
 * Whether an Authorization header carries `token <expected>`, read as configurable-http-proxy
 * reads it (the first `token <value>` anywhere in the header). With no expected token every caller
 * passes, as in CHP. The comparison takes the same time whatever the first differing byte.
 */
export function tokenMatches(header: string | undefined, expected: string | undefined): boolean {
  if (expected === undefined || expected === '') return true;
  const match = /token\s+(\S+)/.exec(header ?? '');
  if (match === null) return false;
  const given = Buffer.from(match[1] ?? '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
