const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\n": "",
};

/**
 * Evaluates a single- or double-quoted Python string literal the way
 * `ast.literal_eval` does for marker values (PEP 508 says values are Python
 * strings). Returns `null` where Python would raise: a raw line break or NUL
 * inside, a dangling backslash, a bad `\x`/`\u`/`\U` escape. `\N{name}`
 * escapes are refused too (no Unicode name table here).
 *
 * @example
 * ```ts
 * evaluatePythonString("'a\\tb'"); // "a\tb"
 * evaluatePythonString("'a\\'"); // null
 * ```
 */
export function evaluatePythonString(literal: string): string | null {
  const body = literal.slice(1, -1);
  if (/[\r\n\0]/.test(body.replace(/\\\r?\n/g, ""))) return null;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) return null;
    if (next === "\r" && body[i + 2] === "\n") {
      i += 2;
      continue;
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i += 1;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1));
    if (octal !== null) {
      out += String.fromCodePoint(parseInt(octal[0], 8));
      i += octal[0].length;
      continue;
    }
    const width = next === "x" ? 2 : next === "u" ? 4 : next === "U" ? 8 : 0;
    if (width > 0) {
      const hex = body.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) return null;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) return null;
      out += String.fromCodePoint(code);
      i += 1 + width;
      continue;
    }
    if (next === "N") return null;
    out += `\\${next}`;
    i += 1;
  }
  return out;
}
