import { grants, rolesOf, type User } from '../../identity/index.js';
import type { ServerView } from '../servers/server-manager.js';
import type { HubPaths } from '../paths.js';

export function serverModel(view: ServerView, user: User, paths: HubPaths, withState: boolean): Record<string, unknown> {
  const progressUrl =
    view.name === ''
      ? `${paths.api}/users/${encodeURIComponent(user.name)}/server/progress`
      : `${paths.api}/users/${encodeURIComponent(user.name)}/servers/${encodeURIComponent(view.name)}/progress`;
  return {
    name: view.name,
    last_activity: view.lastActivity,
    started: view.started,
    pending: view.pending,
    ready: view.ready,
    stopped: !view.ready && view.pending === null,
    url: view.url,
    user_options: view.userOptions,
    progress_url: progressUrl,
    ...(withState ? { state: view.state ?? {} } : {}),
  };
}

/**
 * JupyterHub's user model, showing only the fields the caller's scopes allow on this user
 * (read:users, read:users:name, read:users:groups, read:users:activity, read:servers…).
 */
export function userModel(
  user: User,
  context: { scopes: ReadonlySet<string>; groups: string[]; server: ServerView | undefined; paths: HubPaths },
): Record<string, unknown> {
  const target = { user: user.name, groups: context.groups };
  const can = (scope: string) => grants(context.scopes, scope, target);
  const model: Record<string, unknown> = { kind: 'user', name: user.name };
  const activeServer = context.server && (context.server.ready || context.server.pending !== null) ? context.server : undefined;
  if (can('read:users:name') || can('read:roles:users')) model['admin'] = user.admin;
  if (can('read:users:groups')) model['groups'] = context.groups;
  if (can('read:users:activity')) model['last_activity'] = user.lastActivity;
  if (can('read:users')) {
    Object.assign(model, {
      roles: rolesOf(user),
      server: activeServer?.ready ? activeServer.url : null,
      pending: activeServer?.pending ?? null,
      created: user.createdAt,
    });
  }
  if (can('read:roles:users')) model['roles'] = rolesOf(user);
  if (can('read:servers')) {
    const withState = grants(context.scopes, 'admin:server_state', { ...target, server: `${user.name}/` });
    model['servers'] = activeServer ? { [activeServer.name]: serverModel(activeServer, user, context.paths, withState) } : {};
  }
  return model;
}
