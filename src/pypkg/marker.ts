import { InvalidMarker } from "./errors.js";
import { normalizeName } from "./name.js";
import { evaluatePythonString } from "./python-string-literal.js";
import { ParserSyntaxError, Tokenizer } from "./tokenizer.js";

/**
 * One side of a marker comparison: an environment variable or a literal.
 *
 * @example
 * ```ts
 * const side: MarkerOperand = { kind: "variable", name: "python_version" };
 * ```
 */
export type MarkerOperand = { kind: "variable"; name: string } | { kind: "value"; value: string };

/**
 * Marker comparison operators.
 *
 * @example
 * ```ts
 * const op: MarkerOperator = "not in";
 * ```
 */
export type MarkerOperator = "===" | "==" | "~=" | "!=" | "<=" | ">=" | "<" | ">" | "in" | "not in";

/**
 * `left op right`, for example `python_version >= "3.10"`.
 *
 * @example
 * ```ts
 * const c: MarkerComparison = { left: { kind: "variable", name: "os_name" }, op: "==", right: { kind: "value", value: "posix" } };
 * ```
 */
export interface MarkerComparison {
  left: MarkerOperand;
  op: MarkerOperator;
  right: MarkerOperand;
}

/**
 * A marker expression: atoms (comparisons or parenthesised sub-expressions)
 * separated by `"and"` / `"or"`, in source order (`and` binds tighter).
 *
 * @example
 * ```ts
 * parseMarker('os_name == "posix" and python_version >= "3.10"').tree.length; // 3
 * ```
 */
export type MarkerExpression = (MarkerComparison | MarkerExpression | "and" | "or")[];

function isComparison(item: MarkerComparison | MarkerExpression | string): item is MarkerComparison {
  return typeof item === "object" && !Array.isArray(item);
}

function serializeOperand(operand: MarkerOperand): string {
  if (operand.kind === "variable") return operand.name;
  if (!operand.value.includes('"')) return `"${operand.value}"`;
  if (!operand.value.includes("'")) return `'${operand.value}'`;
  throw new InvalidMarker("Cannot serialize marker value containing both quote characters", operand.value);
}

function format(item: MarkerComparison | MarkerExpression | string, first: boolean): string {
  if (typeof item === "string") return item;
  if (isComparison(item)) return `${serializeOperand(item.left)} ${item.op} ${serializeOperand(item.right)}`;
  const only = item[0];
  if (item.length === 1 && only !== undefined && typeof only !== "string") return format(only, first);
  const inner = item.map((part) => format(part, false)).join(" ");
  return first ? inner : `(${inner})`;
}

/**
 * A parsed PEP 508 environment marker. `toString()` gives the canonical
 * spelling (extra names normalised, double quotes preferred).
 *
 * @example
 * ```ts
 * parseMarker("extra=='Foo_Bar'").toString(); // 'extra == "foo-bar"'
 * ```
 */
export class Marker {
  readonly tree: MarkerExpression;

  constructor(tree: MarkerExpression) {
    this.tree = tree;
  }

  toString(): string {
    return format(this.tree, true);
  }
}

const VARIABLE_ALIASES: Readonly<Record<string, string>> = { python_implementation: "platform_python_implementation" };
const SET_VARIABLES = new Set(["extras", "dependency_groups"]);

function normalizeExtras(c: MarkerComparison): MarkerComparison {
  const { left, right } = c;
  if (left.kind === "variable" && left.name === "extra" && right.kind === "value") {
    return { ...c, right: { kind: "value", value: normalizeName(right.value) } };
  }
  if (right.kind === "variable" && left.kind === "value" && (right.name === "extra" || SET_VARIABLES.has(right.name))) {
    return { ...c, left: { kind: "value", value: normalizeName(left.value) } };
  }
  return c;
}

function parseVar(t: Tokenizer): MarkerOperand {
  if (t.check("VARIABLE")) {
    const name = t.read().text.replace(/\./g, "_");
    return { kind: "variable", name: VARIABLE_ALIASES[name] ?? name };
  }
  if (t.check("QUOTED_STRING")) {
    const token = t.read();
    const value = evaluatePythonString(token.text);
    if (value === null) t.raise("Invalid quoted string", token.position, token.position + token.text.length);
    return { kind: "value", value };
  }
  return t.raise("Expected a marker variable or quoted string");
}

function parseOp(t: Tokenizer): MarkerOperator {
  if (t.check("IN")) {
    t.read();
    return "in";
  }
  if (t.check("NOT")) {
    t.read();
    t.expect("WS", "whitespace after 'not'");
    t.expect("IN", "'in' after 'not'");
    return "not in";
  }
  if (t.check("OP")) return t.read().text as MarkerOperator;
  return t.raise("Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in");
}

function parseAtom(t: Tokenizer): MarkerComparison | MarkerExpression {
  t.consume("WS");
  let atom: MarkerComparison | MarkerExpression;
  if (t.check("LEFT_PARENTHESIS", true)) {
    atom = t.enclosing("LEFT_PARENTHESIS", "RIGHT_PARENTHESIS", "marker expression", () => {
      t.consume("WS");
      const inner = parseMarkerExpression(t);
      t.consume("WS");
      return inner;
    });
  } else {
    t.consume("WS");
    const left = parseVar(t);
    t.consume("WS");
    const op = parseOp(t);
    t.consume("WS");
    const right = parseVar(t);
    t.consume("WS");
    atom = normalizeExtras({ left, op, right });
  }
  t.consume("WS");
  return atom;
}

/**
 * Parses `marker_atom (BOOLOP marker_atom)*` at the tokenizer's position (used
 * by the requirement parser too).
 *
 * @example
 * ```ts
 * parseMarkerExpression(new Tokenizer('os_name == "nt"')).length; // 1
 * ```
 */
export function parseMarkerExpression(t: Tokenizer): MarkerExpression {
  const expression: MarkerExpression = [parseAtom(t)];
  while (t.check("BOOLOP")) {
    const op = t.read().text as "and" | "or";
    expression.push(op, parseAtom(t));
  }
  return expression;
}

/**
 * Parses a PEP 508 marker; throws `InvalidMarker` (with packaging's message
 * and caret line) on bad input.
 *
 * @example
 * ```ts
 * parseMarker('python_version >= "3.10" and sys_platform == "linux"').toString();
 * // 'python_version >= "3.10" and sys_platform == "linux"'
 * ```
 */
export function parseMarker(text: string): Marker {
  const t = new Tokenizer(text);
  try {
    const tree = parseMarkerExpression(t);
    t.expect("END", "end of marker expression");
    return new Marker(tree);
  } catch (error) {
    if (error instanceof ParserSyntaxError) throw new InvalidMarker(error.message, text);
    throw error;
  }
}
