/**
 * Typed errors of the Python packaging standards library. Every error carries
 * the offending text so callers can report it without re-threading the input.
 *
 * @example
 * ```ts
 * import { InvalidVersion, parseVersion } from "bulwark/pypkg";
 * try {
 *   parseVersion("not a version");
 * } catch (error) {
 *   if (error instanceof InvalidVersion) console.log(error.text); // "not a version"
 * }
 * ```
 */
export class PypkgError extends Error {
  /** The input that could not be understood. */
  readonly text: string;

  constructor(message: string, text: string) {
    super(message);
    this.name = new.target.name;
    this.text = text;
  }
}

/**
 * A string that is not a valid PEP 440 version.
 *
 * @example
 * ```ts
 * new InvalidVersion("Invalid version: 'x'", "x").text; // "x"
 * ```
 */
export class InvalidVersion extends PypkgError {}

/**
 * A string that is not a valid PEP 440 version specifier (or specifier set).
 *
 * @example
 * ```ts
 * new InvalidSpecifier("Invalid specifier: '=>1'", "=>1").text; // "=>1"
 * ```
 */
export class InvalidSpecifier extends PypkgError {}

/**
 * A string that is not a valid PEP 508 dependency specifier.
 *
 * @example
 * ```ts
 * new InvalidRequirement("Expected package name", "@").text; // "@"
 * ```
 */
export class InvalidRequirement extends PypkgError {}

/**
 * A string that is not a valid PEP 508 environment marker.
 *
 * @example
 * ```ts
 * new InvalidMarker("Expected marker operator", "os_name").text; // "os_name"
 * ```
 */
export class InvalidMarker extends PypkgError {}

/**
 * A marker comparison that has no defined meaning (for example `~=` between
 * strings that are not versions).
 *
 * @example
 * ```ts
 * new UndefinedComparison("Undefined ~= on 'a' and 'b'", "a ~= b").text;
 * ```
 */
export class UndefinedComparison extends PypkgError {}

/**
 * A marker that names a variable the evaluation environment does not define.
 *
 * @example
 * ```ts
 * new UndefinedEnvironmentName("'extra' is not defined", "extra").text; // "extra"
 * ```
 */
export class UndefinedEnvironmentName extends PypkgError {}

/**
 * A file name that is not a valid wheel file name.
 *
 * @example
 * ```ts
 * new InvalidWheelFilename("extension must be .whl", "foo.zip").text; // "foo.zip"
 * ```
 */
export class InvalidWheelFilename extends PypkgError {}

/**
 * A file name that is not a valid source distribution file name.
 *
 * @example
 * ```ts
 * new InvalidSdistFilename("no version", "foo.tar.gz").text; // "foo.tar.gz"
 * ```
 */
export class InvalidSdistFilename extends PypkgError {}

/**
 * A string that is not a valid (possibly compressed) wheel tag.
 *
 * @example
 * ```ts
 * new InvalidTag("wrong number of parts", "py3-none").text; // "py3-none"
 * ```
 */
export class InvalidTag extends PypkgError {}

/**
 * A requirements file line that cannot be understood.
 *
 * @example
 * ```ts
 * new InvalidRequirementsFile("line 3: unknown option --frobnicate", "--frobnicate").text;
 * ```
 */
export class InvalidRequirementsFile extends PypkgError {}

/**
 * A name for which no target environment is defined.
 *
 * @example
 * ```ts
 * new UnknownTarget("unknown target: 'cp27-win32'", "cp27-win32").text;
 * ```
 */
export class UnknownTarget extends PypkgError {}

/**
 * A project or extra name that is not valid.
 *
 * @example
 * ```ts
 * new InvalidName("name is invalid: '-x'", "-x").text; // "-x"
 * ```
 */
export class InvalidName extends PypkgError {}
