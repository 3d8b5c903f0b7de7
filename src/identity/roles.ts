import { builtinRoles } from './scope-vocabulary.js';
import { expandScopes } from './scopes.js';
import type { User } from './users.js';

/** Role names a user holds: everyone has `user`; the admin flag adds `admin`. */
export function rolesOf(user: Pick<User, 'admin'>): string[] {
  return user.admin ? ['admin', 'user'] : ['user'];
}

/** The user's own expanded scopes: what a browser session of theirs may do. */
export function userScopes(user: Pick<User, 'name' | 'admin'>): Set<string> {
  const raw = rolesOf(user).flatMap((role) => builtinRoles[role]?.scopes ?? []);
  return expandScopes(raw, { kind: 'user', name: user.name });
}
