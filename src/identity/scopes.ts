import { BulwarkError } from '../errors/index.js';
import { isKnownScope, metaScopes, scopeTree, selfScopes } from './scope-vocabulary.js';

export type FilterKind = 'user' | 'server' | 'group' | 'service';

/** A scope with its optional filter, e.g. `access:servers!server=alice/`. */
export interface ParsedScope {
  name: string;
  filter?: { kind: FilterKind; value: string | null };
}

const filterKinds: readonly FilterKind[] = ['user', 'server', 'group', 'service'];

/**
 * Scope work is pure and repeats on every request with the same inputs (a token's scopes, its
 * owner's roles): results are remembered per input. Bounded: a full memo is emptied, not grown.
 * Results handed out are copies or frozen, so no caller can change what the next one sees.
 */
const MEMO_LIMIT = 5000;
function remember<V>(memo: Map<string, V>, key: string, compute: () => V): V {
  const known = memo.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}
const parsedMemo = new Map<string, ParsedScope>();
const expandedMemo = new Map<string, ReadonlySet<string>>();
const intersectedMemo = new Map<string, ReadonlySet<string>>();
/** A set's contents as a memo key part (scope strings never contain newlines). */
const setKey = (scopes: Iterable<string>) => [...scopes].join('\n');

export function parseScope(text: string): ParsedScope {
  return remember(parsedMemo, text, () => deepFreeze(parseScopeUncached(text)));
}

function deepFreeze(scope: ParsedScope): ParsedScope {
  if (scope.filter) Object.freeze(scope.filter);
  return Object.freeze(scope);
}

function parseScopeUncached(text: string): ParsedScope {
  const bang = text.indexOf('!');
  const name = bang === -1 ? text : text.slice(0, bang);
  if (!isKnownScope(name)) throw new BulwarkError('IDENTITY_INVALID_SCOPE', { scope: text });
  if (bang === -1) return { name };
  const filterText = text.slice(bang + 1);
  const eq = filterText.indexOf('=');
  const kind = (eq === -1 ? filterText : filterText.slice(0, eq)) as FilterKind;
  if (!filterKinds.includes(kind)) throw new BulwarkError('IDENTITY_INVALID_SCOPE', { scope: text });
  return { name, filter: { kind, value: eq === -1 ? null : filterText.slice(eq + 1) } };
}

export function formatScope(scope: ParsedScope): string {
  if (!scope.filter) return scope.name;
  return scope.filter.value === null
    ? `${scope.name}!${scope.filter.kind}`
    : `${scope.name}!${scope.filter.kind}=${scope.filter.value}`;
}

/** Whose scopes are being expanded; fills bare `!user`/`!server` filters and `self`. */
export interface ScopeOwner {
  kind: 'user' | 'service';
  name: string;
  /** For a server's or OAuth client's token: the server it belongs to (`alice/` for the default). */
  server?: string;
}

/** What a bare `!user`/`!server`/`!service` filter means for this owner; undefined if it is invalid. */
function bareFilterValue(kind: FilterKind, owner: ScopeOwner): string | null | undefined {
  if (kind === 'group') return undefined;
  if (owner.kind === 'service') return kind === 'service' ? owner.name : null;
  if (kind === 'user') return owner.name;
  if (kind === 'server') return owner.server ?? `${owner.name}/`;
  return null;
}

function withSubscopes(name: string, out: Set<string>): void {
  if (out.has(name)) return;
  out.add(name);
  for (const child of scopeTree[name] ?? []) withSubscopes(child, out);
}

/**
 * Expands raw scopes (from roles or a token) into the full set they grant: metascopes resolved,
 * bare filters bound to the owner, sub-scopes added with the parent's filter. `read:users:*`
 * fields are not granted through a `!server` filter, as in JupyterHub.
 */
export function expandScopes(raw: Iterable<string>, owner: ScopeOwner, ownerScopes?: ReadonlySet<string>): Set<string> {
  const rawList = [...raw];
  const key = `${owner.kind}\u0000${owner.name}\u0000${owner.server ?? ''}\u0000${setKey(rawList)}\u0000${ownerScopes && rawList.includes('inherit') ? setKey(ownerScopes) : ''}`;
  return new Set(remember(expandedMemo, key, () => expandScopesUncached(rawList, owner, ownerScopes)));
}

function expandScopesUncached(raw: readonly string[], owner: ScopeOwner, ownerScopes?: ReadonlySet<string>): Set<string> {
  const result = new Set<string>();
  for (const text of raw) {
    if (text === 'inherit') {
      for (const scope of ownerScopes ?? []) result.add(scope);
      continue;
    }
    if (text === 'self') {
      if (owner.kind === 'service') continue; // `self` grants a service nothing, as in JupyterHub
      for (const scope of expandScopes(selfScopes.map((s) => `${s}!user`), owner)) result.add(scope);
      continue;
    }
    const parsed = parseScope(text);
    if ((metaScopes as readonly string[]).includes(parsed.name)) continue;
    let filter = parsed.filter;
    if (filter && filter.value === null) {
      const value = bareFilterValue(filter.kind, owner);
      if (value === undefined) throw new BulwarkError('IDENTITY_INVALID_SCOPE', { scope: text });
      if (value === null) continue; // a bare filter that names nothing for this owner grants nothing
      filter = { kind: filter.kind, value };
    }
    const names = new Set<string>();
    withSubscopes(parsed.name, names);
    for (const name of names) {
      if (filter?.kind === 'server' && name.startsWith('read:users:')) continue;
      result.add(formatScope(filter ? { name, filter } : { name }));
    }
  }
  return reduceScopes(result);
}

/** Drops filtered grants already covered by an unfiltered grant of the same scope. */
export function reduceScopes(scopes: ReadonlySet<string>): Set<string> {
  const unfiltered = new Set([...scopes].filter((s) => !s.includes('!')));
  return new Set([...scopes].filter((s) => !s.includes('!') || !unfiltered.has(s.slice(0, s.indexOf('!')))));
}

/** The resource an action touches, for checking filters. */
export interface ScopeTarget {
  user?: string;
  /** `user/servername`, `alice/` for the default server. */
  server?: string;
  service?: string;
  /** Groups the target user belongs to, for `!group=` filters. */
  groups?: readonly string[];
}

function filterCovers(filter: NonNullable<ParsedScope['filter']>, target: ScopeTarget): boolean {
  switch (filter.kind) {
    case 'user':
      return target.user === filter.value || (target.server?.startsWith(`${filter.value}/`) ?? false);
    case 'server':
      return target.server === filter.value;
    case 'group':
      return target.groups?.includes(filter.value ?? '') ?? false;
    case 'service':
      return target.service === filter.value;
  }
}

/** Whether an expanded scope set grants `name` on the target (or at all, without a target). */
export function grants(scopes: ReadonlySet<string>, name: string, target?: ScopeTarget): boolean {
  if (scopes.has(name)) return true;
  if (target === undefined) return false;
  for (const scope of scopes) {
    if (!scope.startsWith(`${name}!`)) continue;
    const parsed = parseScope(scope);
    if (parsed.filter && filterCovers(parsed.filter, target)) return true;
  }
  return false;
}

/** Whether the set holds `name` in any form, filtered or not (JupyterHub's 403-versus-404 split). */
export function holdsAny(scopes: ReadonlySet<string>, name: string): boolean {
  return [...scopes].some((scope) => scope === name || scope.startsWith(`${name}!`));
}

/**
 * The part of `requested` that `owner` also holds: a token never grants more than its owner has.
 * Group filters are kept only when the owner holds the scope unfiltered.
 */
export function intersectScopes(requested: ReadonlySet<string>, owner: ReadonlySet<string>): Set<string> {
  const key = `${setKey(requested)}\u0000${setKey(owner)}`;
  return new Set(remember(intersectedMemo, key, () => intersectScopesUncached(requested, owner)));
}

function intersectScopesUncached(requested: ReadonlySet<string>, owner: ReadonlySet<string>): Set<string> {
  const result = new Set<string>();
  for (const scope of requested) {
    const parsed = parseScope(scope);
    if (owner.has(parsed.name) || owner.has(scope)) {
      result.add(scope);
      continue;
    }
    if (!parsed.filter) {
      // Requested everything; the owner has only some: keep the owner's filtered grants.
      for (const held of owner) if (held.startsWith(`${parsed.name}!`)) result.add(held);
      continue;
    }
    const target: ScopeTarget =
      parsed.filter.kind === 'user'
        ? { user: parsed.filter.value ?? '' }
        : parsed.filter.kind === 'server'
          ? { server: parsed.filter.value ?? '' }
          : parsed.filter.kind === 'service'
            ? { service: parsed.filter.value ?? '' }
            : {};
    if (grants(owner, parsed.name, target)) result.add(scope);
  }
  return reduceScopes(result);
}

/** Validates raw scope strings (for token creation and config), throwing on the first unknown one. */
export function validateScopes(raw: readonly string[]): void {
  for (const text of raw) {
    if ((metaScopes as readonly string[]).includes(text)) continue;
    parseScope(text);
  }
}
