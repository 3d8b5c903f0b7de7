/**
 * The character classes of HTTP header lines (RFC 9110 section 5.1, section 5.5), checked over a range of a
 * latin1 string without copying it. Shared by the request scanner and the response-head parser.
 */

/** RFC 9110 token characters, for header names. */
const tchar = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") tchar[c.charCodeAt(0)] = 1;

/** `text[start, end)` is a non-empty token. */
export function isToken(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || tchar[c] === 0) return false;
  }
  return true;
}

/**
 * `text[start, end)` holds only field-value characters: visible ASCII, space, tab and obs-text. A
 * control character (a bare CR or LF above all) could end the line for another parser.
 */
export function isFieldValue(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return false;
  }
  return true;
}
