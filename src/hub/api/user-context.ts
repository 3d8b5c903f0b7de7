import { BulwarkError } from '../../errors/index.js';
import type { ScopeTarget, User } from '../../identity/index.js';
import type { HubDeps } from '../hub-deps.js';
import type { Identity } from '../auth/identify.js';
import { requireScope } from '../request-context.js';
import type { ServerView } from '../servers/server-manager.js';
import { userModel } from './user-model.js';

/**
 * The scope target of a user named in a path: groups are looked up so `!group=` filters work.
 * A user that does not exist has no groups, so the 404 answer is the same either way.
 */
export async function userTarget(deps: HubDeps, name: string, serverName?: string): Promise<{ target: ScopeTarget; user: User | undefined }> {
  const found = await deps.users.getWithGroups(name);
  const user = found?.user;
  const groups = found?.groups ?? [];
  const target: ScopeTarget = { user: user?.name ?? name, groups, ...(serverName === undefined ? {} : { server: `${user?.name ?? name}/${serverName}` }) };
  return { target, user };
}

/** Checks scopes on a user named in the path, then insists the user exists (404 `No such user`). */
export async function authorizedUser(deps: HubDeps, identity: Identity, anyOf: readonly string[], name: string, serverName?: string): Promise<User> {
  const { target, user } = await userTarget(deps, name, serverName);
  requireScope(identity, anyOf, target);
  if (!user) throw new BulwarkError('IDENTITY_USER_NOT_FOUND', { name });
  return user;
}

/** The user model as this caller may see it, optionally with stopped servers. */
export async function visibleUserModel(
  deps: HubDeps,
  user: User,
  scopes: ReadonlySet<string>,
  includeStopped: boolean,
  /** The user's groups when the caller already fetched them (a page of users in one query). */
  knownGroups?: readonly string[],
): Promise<Record<string, unknown>> {
  const groups = knownGroups ? [...knownGroups] : await deps.users.groupsOf(user.id);
  const listed = deps.servers.list(user);
  // Without include_stopped_servers only active servers show; a failed spawn is not active.
  const servers: ServerView[] = includeStopped
    ? [...listed, ...(await deps.servers.stopped(user))]
    : listed.filter((server) => server.ready || server.pending !== null);
  servers.sort((a, b) => a.name.localeCompare(b.name));
  return userModel(user, { scopes, groups, roles: deps.roles.userRoles(user), servers, paths: deps.paths });
}
