import { SPECIFIER_PATTERN } from "./specifier-grammar.js";

const W = "[\\p{L}\\p{N}_]";
const B = `(?:(?<!${W})(?=${W})|(?<=${W})(?!${W}))`;

const RULE_SOURCES = {
  LEFT_PARENTHESIS: ["\\(", ""],
  RIGHT_PARENTHESIS: ["\\)", ""],
  LEFT_BRACKET: ["\\[", ""],
  RIGHT_BRACKET: ["\\]", ""],
  SEMICOLON: [";", ""],
  COMMA: [",", ""],
  QUOTED_STRING: ["'[^']*'|\"[^\"]*\"", ""],
  OP: ["===|==|~=|!=|<=|>=|<|>", ""],
  BOOLOP: [`${B}(?:or|and)${B}`, "u"],
  IN: [`${B}in${B}`, "u"],
  NOT: [`${B}not${B}`, "u"],
  VARIABLE: [
    `${B}(?:python_version|python_full_version|os[._]name|sys[._]platform|platform_(?:release|system)` +
      `|platform[._](?:version|machine|python_implementation)|python_implementation|implementation_(?:name|version)` +
      `|extras?|dependency_groups)${B}`,
    "u",
  ],
  SPECIFIER: [`(?:${SPECIFIER_PATTERN})`, "i"],
  AT: ["@", ""],
  URL: ["[^ \\t]+", ""],
  IDENTIFIER: [`${B}[a-zA-Z0-9][a-zA-Z0-9._-]*${B}`, "u"],
  VERSION_PREFIX_TRAIL: ["\\.\\*", ""],
  VERSION_LOCAL_LABEL_TRAIL: ["\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*", ""],
  WS: ["[ \\t]+", ""],
  END: ["$(?![\\s\\S])", ""],
} as const;

/**
 * Names of the PEP 508 tokens.
 *
 * @example
 * ```ts
 * const name: TokenName = "IDENTIFIER";
 * ```
 */
export type TokenName = keyof typeof RULE_SOURCES;

const RULES = Object.fromEntries(
  Object.entries(RULE_SOURCES).map(([name, [source, flags]]) => [name, new RegExp(source, `y${flags}`)]),
) as Record<TokenName, RegExp>;

/**
 * A syntax error with the position it was found at; `message` is formatted
 * the way packaging formats it (message, source, and a caret line).
 *
 * @example
 * ```ts
 * new ParserSyntaxError("Expected URL after @", "name @ ", [7, 7]).message;
 * ```
 */
export class ParserSyntaxError extends Error {
  readonly reason: string;
  readonly source: string;
  readonly span: readonly [number, number];

  constructor(reason: string, source: string, span: readonly [number, number]) {
    const marker = " ".repeat(span[0]) + "~".repeat(span[1] - span[0]) + "^";
    super(`${reason}\n    ${source}\n    ${marker}`);
    this.reason = reason;
    this.source = source;
    this.span = span;
  }
}

/**
 * Context-sensitive tokenizer for PEP 508 dependency specifiers and markers:
 * the parser asks whether a given token comes next.
 *
 * @example
 * ```ts
 * const t = new Tokenizer("name >= 1");
 * t.expect("IDENTIFIER", "package name").text; // "name"
 * ```
 */
export class Tokenizer {
  readonly source: string;
  position = 0;
  #next: { name: TokenName; text: string; position: number } | null = null;

  constructor(source: string) {
    this.source = source;
  }

  /** Reads the token if it is next. */
  consume(name: TokenName): void {
    if (this.check(name)) this.read();
  }

  /** Whether the named token comes next; unless `peek`, it is loaded for `read`. */
  check(name: TokenName, peek = false): boolean {
    if (this.#next !== null) throw new Error(`Cannot check for ${name}, already have ${this.#next.name}`);
    const rule = RULES[name];
    rule.lastIndex = this.position;
    const match = rule.exec(this.source);
    if (match === null) return false;
    if (!peek) this.#next = { name, text: match[0], position: this.position };
    return true;
  }

  /** Reads the named token or fails with "Expected ...". */
  expect(name: TokenName, expected: string): { text: string; position: number } {
    if (!this.check(name)) this.raise(`Expected ${expected}`);
    return this.read();
  }

  /** Consumes the loaded token. */
  read(): { text: string; position: number } {
    const token = this.#next;
    if (token === null) throw new Error("no token to read");
    this.position += token.text.length;
    this.#next = null;
    return token;
  }

  /** Throws a `ParserSyntaxError` spanning `[start, end]` (default: the current position). */
  raise(reason: string, start: number = this.position, end: number = this.position): never {
    throw new ParserSyntaxError(reason, this.source, [start, end]);
  }

  /** Runs `body` inside optional `open ... close` tokens. */
  enclosing<T>(open: TokenName, close: TokenName, around: string, body: () => T): T {
    let openPosition: number | null = null;
    if (this.check(open)) {
      openPosition = this.position;
      this.read();
    }
    const result = body();
    if (openPosition !== null) {
      if (!this.check(close)) {
        this.raise(`Expected matching ${close} for ${open}, after ${around}`, openPosition);
      }
      this.read();
    }
    return result;
  }
}
