type Node = { id: string } | { op: 'AND' | 'OR'; left: Node; right: Node };

function tokenize(text: string): string[] {
  return text.replace(/([()])/g, ' $1 ').split(/\s+/).filter((t) => t !== '');
}

/**
 * Parses an SPDX licence expression (`MIT OR (Apache-2.0 WITH LLVM-exception)`); AND binds
 * tighter than OR. `WITH` exceptions only widen what the licence allows, so they are dropped.
 * Throws on malformed input.
 */
function parse(text: string): Node {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at]?.toUpperCase();
  const primary = (): Node => {
    const token = tokens[at++];
    if (token === undefined) throw new Error(`licence expression "${text}" ends early`);
    if (token === '(') {
      const inner = or();
      if (tokens[at++] !== ')') throw new Error(`licence expression "${text}" misses ")"`);
      return inner;
    }
    if (token === ')' || ['AND', 'OR', 'WITH'].includes(token.toUpperCase())) throw new Error(`unexpected "${token}" in "${text}"`);
    if (peek() === 'WITH') at += 2;
    return { id: token.replace(/\+$/, '') };
  };
  const and = (): Node => {
    let left = primary();
    while (peek() === 'AND') {
      at++;
      left = { op: 'AND', left, right: primary() };
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (peek() === 'OR') {
      at++;
      left = { op: 'OR', left, right: and() };
    }
    return left;
  };
  const tree = or();
  if (at !== tokens.length) throw new Error(`unexpected "${tokens[at] ?? ''}" in "${text}"`);
  return tree;
}

function allowedBy(node: Node, allow: readonly string[]): boolean {
  if ('id' in node) {
    const id = node.id.toLowerCase();
    return allow.some((entry) => (entry.endsWith('*') ? id.startsWith(entry.slice(0, -1)) : id === entry));
  }
  return node.op === 'OR' ? allowedBy(node.left, allow) || allowedBy(node.right, allow) : allowedBy(node.left, allow) && allowedBy(node.right, allow);
}

/**
 * Whether a licence expression can be used under an allowlist: one side of an OR suffices,
 * both sides of an AND are needed. Identifiers compare case-insensitively; an allowlist entry
 * ending in `*` matches every id it prefixes (`BSD-*`).
 *
 * @example
 * ```ts
 * licenseAllowed('MIT OR GPL-3.0-only', ['MIT']); // true
 * licenseAllowed('MIT AND GPL-3.0-only', ['MIT']); // false
 * ```
 */
export function licenseAllowed(expression: string, allowlist: readonly string[]): boolean {
  return allowedBy(parse(expression), allowlist.map((id) => id.toLowerCase()));
}
