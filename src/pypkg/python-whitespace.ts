/**
 * The characters Python's `str.isspace()` (and `\s` in a `str` regular
 * expression) treats as whitespace, as the inside of a regular-expression
 * character class.
 * JavaScript's `\s` differs (it lacks U+001C-U+001F and U+0085 and adds
 * U+FEFF), so parsers that must agree with Python use this class instead.
 *
 * @example
 * ```ts
 * new RegExp(`^[^${PY_WHITESPACE_CHARS}]+$`).test("abc"); // true
 * ```
 */
export const PY_WHITESPACE_CHARS =
  "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

/**
 * The same whitespace as a bracketed character class.
 *
 * @example
 * ```ts
 * new RegExp(`^${PY_WHITESPACE}$`).test("\x85"); // true
 * ```
 */
export const PY_WHITESPACE = `[${PY_WHITESPACE_CHARS}]`;

const LEADING = new RegExp(`^${PY_WHITESPACE}+`);
const TRAILING = new RegExp(`${PY_WHITESPACE}+$`);

/**
 * Strips leading and trailing whitespace exactly as Python's `str.strip()`.
 *
 * @example
 * ```ts
 * pyStrip("\x1f >=1.0 "); // ">=1.0"
 * ```
 */
export function pyStrip(text: string): string {
  return text.replace(LEADING, "").replace(TRAILING, "");
}
