import { InvalidName } from "./errors.js";

const VALID_NAME = /^(?:[a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$/i;
const NORMALIZED_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Normalises a project or extra name as PEP 503 does: runs of `-`, `_` and
 * `.` become one `-`, and letters are lower-cased. With `validate`, names that
 * are not valid project names throw `InvalidName`.
 *
 * @example
 * ```ts
 * normalizeName("Argon2_CFFI"); // "argon2-cffi"
 * normalizeName("zope.interface"); // "zope-interface"
 * ```
 */
export function normalizeName(name: string, options: { validate?: boolean } = {}): string {
  if (options.validate === true && !VALID_NAME.test(name)) {
    throw new InvalidName(`name is invalid: '${name}'`, name);
  }
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/**
 * True when the name is a valid project name (PEP 508 / core metadata rule:
 * ASCII letters and digits, with `.`, `_`, `-` inside).
 *
 * @example
 * ```ts
 * isValidName("my_pkg.v2"); // true
 * isValidName("-pkg"); // false
 * ```
 */
export function isValidName(name: string): boolean {
  return VALID_NAME.test(name);
}

/**
 * True when the name is already in PEP 503 normalised form.
 *
 * @example
 * ```ts
 * isNormalizedName("foo-bar"); // true
 * isNormalizedName("Foo_Bar"); // false
 * ```
 */
export function isNormalizedName(name: string): boolean {
  return NORMALIZED_NAME.test(name);
}
