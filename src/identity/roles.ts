import { BulwarkError } from '../errors/index.js';
import { builtinRoles } from './scope-vocabulary.js';
import { expandScopes, validateScopes } from './scopes.js';
import type { User } from './users.js';

/** A role as configured (JupyterHub's load_roles entry). */
export interface RoleInput {
  name: string;
  description?: string;
  scopes?: readonly string[];
  users?: readonly string[];
  groups?: readonly string[];
  services?: readonly string[];
}

export interface RoleDefinition {
  name: string;
  description: string;
  scopes: readonly string[];
}

/**
 * Who holds which role and what each role grants: the built-in roles plus custom ones from
 * config. Assignments live here rather than in the database because config is their only source.
 */
export interface RoleBook {
  definitions: ReadonlyMap<string, RoleDefinition>;
  /** Roles a user holds directly (not through groups): `user`, `admin` if flagged, and config assignments. */
  userRoles(user: Pick<User, 'name' | 'admin'>): string[];
  groupRoles(group: string): string[];
  serviceRoles(service: string, admin: boolean): string[];
  /** Expanded scopes of the user's own roles and those of their groups. */
  userScopes(user: Pick<User, 'name' | 'admin'>, groups?: readonly string[]): Set<string>;
  serviceScopes(service: string, admin: boolean): Set<string>;
}

export function createRoleBook(inputs: readonly RoleInput[] = []): RoleBook {
  const definitions = new Map<string, RoleDefinition>(
    Object.entries(builtinRoles).map(([name, role]) => [name, { name, description: role.description, scopes: role.scopes }]),
  );
  const members = { users: new Map<string, Set<string>>(), groups: new Map<string, Set<string>>(), services: new Map<string, Set<string>>() };
  const add = (map: Map<string, Set<string>>, member: string, role: string) => {
    const set = map.get(member) ?? new Set<string>();
    set.add(role);
    map.set(member, set);
  };
  inputs.forEach((input, index) => {
    const scopes = input.scopes ?? [];
    try {
      validateScopes(scopes.map((s) => s));
    } catch (error) {
      const detail = error instanceof BulwarkError ? error.message : String(error);
      throw new BulwarkError('CONFIG_INVALID', { detail: `roles[${index}].scopes: ${detail}` });
    }
    const existing = definitions.get(input.name);
    // The admin role's scopes are fixed; other built-ins take new scopes only when some are given.
    const keepScopes = input.name === 'admin' || (existing !== undefined && scopes.length === 0);
    definitions.set(input.name, {
      name: input.name,
      description: input.description || existing?.description || '',
      scopes: keepScopes && existing ? existing.scopes : scopes,
    });
    for (const user of input.users ?? []) add(members.users, user, input.name);
    for (const group of input.groups ?? []) add(members.groups, group, input.name);
    for (const service of input.services ?? []) add(members.services, service, input.name);
  });

  const sorted = (roles: Iterable<string>) => [...new Set(roles)].sort();
  const scopesOfRoles = (roles: readonly string[]) => roles.flatMap((role) => definitions.get(role)?.scopes ?? []);

  const book: RoleBook = {
    definitions,
    userRoles: (user) => sorted(['user', ...(user.admin ? ['admin'] : []), ...(members.users.get(user.name) ?? [])]),
    groupRoles: (group) => sorted(members.groups.get(group) ?? []),
    serviceRoles: (service, admin) => sorted([...(admin ? ['admin'] : []), ...(members.services.get(service) ?? [])]),
    userScopes(user, groups = []) {
      const roles = [...book.userRoles(user), ...groups.flatMap((group) => book.groupRoles(group))];
      return expandScopes(scopesOfRoles(roles), { kind: 'user', name: user.name });
    },
    serviceScopes(service, admin) {
      // `self` means nothing for a service; bare `!service` filters bind to the service itself.
      const raw = scopesOfRoles(book.serviceRoles(service, admin)).filter((scope) => scope !== 'self');
      return expandScopes(raw, { kind: 'service', name: service });
    },
  };
  return book;
}

/** The built-in roles only; used where no config is at hand (CLI, unit tests). */
export const defaultRoleBook = createRoleBook();

/** Role names a user holds directly, with the built-in roles only. */
export function rolesOf(user: Pick<User, 'name' | 'admin'>): string[] {
  return defaultRoleBook.userRoles(user);
}

/** The user's own expanded scopes: what a browser session of theirs may do. */
export function userScopes(user: Pick<User, 'name' | 'admin'>, groups: readonly string[] = [], book: RoleBook = defaultRoleBook): Set<string> {
  return book.userScopes(user, groups);
}
