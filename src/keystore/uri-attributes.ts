import { BulwarkError } from '../errors/index.js';
import { redactKeystoreUri } from './redact-keystore-uri.js';

/** Raises KEYSTORE_INVALID_URI for `uri`, never showing a PIN. */
export function invalidUri(uri: string, reason: string): BulwarkError {
  return new BulwarkError('KEYSTORE_INVALID_URI', { uri: redactKeystoreUri(uri), reason });
}

/** Percent-decodes one attribute value (RFC 3986), rejecting malformed escapes. */
export function percentDecode(uri: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw invalidUri(uri, `bad percent-encoding in "${redactKeystoreUri(value)}"`);
  }
}

/**
 * Splits `a=1<sep>b=2` into decoded pairs. Empty parts are skipped; a part without `=`, a name
 * that is not in `allowed`, or a repeated name is an error, so a typo never silently drops a
 * setting such as the PIN source.
 */
export function parseAttributes(
  uri: string,
  text: string,
  separator: string,
  allowed: ReadonlySet<string>,
): Map<string, string> {
  const result = new Map<string, string>();
  for (const part of text.split(separator)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw invalidUri(uri, `attribute "${redactKeystoreUri(part)}" has no name=value form`);
    const name = part.slice(0, eq).toLowerCase();
    if (!allowed.has(name)) {
      throw invalidUri(uri, `unknown attribute "${name}"; expected one of ${[...allowed].join(', ')}`);
    }
    if (result.has(name)) throw invalidUri(uri, `attribute "${name}" is given twice`);
    result.set(name, part.slice(eq + 1));
  }
  return result;
}

/** Splits `head?query` at the first `?`. */
export function splitQuery(rest: string): { head: string; query: string } {
  const q = rest.indexOf('?');
  return q === -1 ? { head: rest, query: '' } : { head: rest.slice(0, q), query: rest.slice(q + 1) };
}
