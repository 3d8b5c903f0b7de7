import { PY_WHITESPACE, PY_WHITESPACE_CHARS } from "./python-whitespace.js";

const WS = `${PY_WHITESPACE}*`;
const PRE = "(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?";
const POST = "(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?";
const DEV = "(?:[-_.]?dev[-_.]?[0-9]*)?";
const LOCAL = "(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?";
const EPOCH = "(?:[0-9]+!)?";

/**
 * The PEP 440 grammar of one version specifier (operator and version), as a
 * regular-expression source without anchors. Use with the `i` flag. The
 * requirement tokenizer embeds it; `Specifier` anchors it.
 *
 * @example
 * ```ts
 * new RegExp(`^(?:${SPECIFIER_PATTERN})$`, "i").test(">=1.0"); // true
 * ```
 */
export const SPECIFIER_PATTERN =
  `(?:===${WS}[^${PY_WHITESPACE_CHARS};)]*)` +
  `|(?:(?:==|!=)${WS}v?${EPOCH}[0-9]+(?:\\.[0-9]+)*(?:\\.\\*|${PRE}${POST}${DEV}${LOCAL}))` +
  `|(?:~=${WS}v?${EPOCH}[0-9]+(?:\\.[0-9]+)+${PRE}${POST}${DEV})` +
  `|(?:(?:<=|>=|<|>)${WS}v?${EPOCH}[0-9]+(?:\\.[0-9]+)*${PRE}${POST}${DEV})`;

const FULL = new RegExp(`^${WS}(?:${SPECIFIER_PATTERN})${WS}$`, "i");

/**
 * True when the text is exactly one valid specifier (surrounding whitespace
 * allowed).
 *
 * @example
 * ```ts
 * isSpecifierText(" ~= 1.4.5 "); // true
 * isSpecifierText("~=1"); // false
 * ```
 */
export function isSpecifierText(text: string): boolean {
  return FULL.test(text);
}

/**
 * The operators of PEP 440 version specifiers.
 *
 * @example
 * ```ts
 * const op: SpecifierOperator = "~=";
 * ```
 */
export type SpecifierOperator = "~=" | "==" | "!=" | "<=" | ">=" | "<" | ">" | "===";
