import { grants, type ScopeTarget, type User } from '../../identity/index.js';
import type { HubPaths } from '../paths.js';
import type { ServerView } from '../servers/server-manager.js';

export function serverModel(view: ServerView, user: Pick<User, 'name'>, paths: HubPaths, withState: boolean): Record<string, unknown> {
  const progressUrl =
    view.name === ''
      ? `${paths.api}/users/${encodeURIComponent(user.name)}/server/progress`
      : `${paths.api}/users/${encodeURIComponent(user.name)}/servers/${encodeURIComponent(view.name)}/progress`;
  return {
    name: view.name,
    full_name: `${user.name}/${view.name}`,
    last_activity: view.lastActivity,
    started: view.started,
    pending: view.pending,
    ready: view.ready,
    stopped: !view.ready && view.pending === null,
    url: view.url,
    user_options: view.userOptions,
    progress_url: progressUrl,
    full_url: null,
    full_progress_url: null,
    // Not in JupyterHub's model (whose Server schema allows more fields): why the server last stopped
    // or failed to start when the hub knows, e.g. "stopped: memory limit (512M) exceeded"; a stopped
    // server shows with ?include_stopped_servers. And a limit hit while it runs (a kernel OOM-killed).
    bulwark_stop_reason: view.ready || view.pending !== null ? null : view.failure,
    bulwark_limit_notice: view.notice,
    ...(withState ? { state: view.state ?? {} } : {}),
  };
}

export interface UserModelContext {
  scopes: ReadonlySet<string>;
  groups: string[];
  /** Roles the user holds directly. */
  roles: string[];
  /** Servers to show: the active ones, plus stopped ones when asked for. */
  servers: readonly ServerView[];
  paths: HubPaths;
}

/**
 * JupyterHub's user model, showing only the fields the caller's scopes allow on this user
 * (read:users, read:users:name, read:users:groups, read:users:activity, read:servers...).
 */
export function userModel(user: User, context: UserModelContext): Record<string, unknown> {
  const target: ScopeTarget = { user: user.name, groups: context.groups };
  const can = (scope: string) => grants(context.scopes, scope, target);
  const model: Record<string, unknown> = { kind: 'user', name: user.name };
  const defaultServer = context.servers.find((server) => server.name === '' && (server.ready || server.pending !== null));
  if (can('read:users:name') || can('read:roles:users')) model['admin'] = user.admin;
  if (can('read:users:groups')) model['groups'] = context.groups;
  if (can('read:users:activity')) model['last_activity'] = user.lastActivity;
  if (can('read:users')) {
    Object.assign(model, {
      roles: context.roles,
      server: defaultServer?.ready ? defaultServer.url : null,
      pending: defaultServer?.pending ?? null,
      created: user.createdAt,
    });
  }
  if (can('read:roles:users')) model['roles'] = context.roles;
  if (can('admin:auth_state')) model['auth_state'] = null;
  const servers: Record<string, unknown> = {};
  let anyServerScope = can('read:servers');
  for (const view of context.servers) {
    const serverTarget = { ...target, server: `${user.name}/${view.name}` };
    if (!grants(context.scopes, 'read:servers', serverTarget)) continue;
    anyServerScope = true;
    servers[view.name] = serverModel(view, user, context.paths, grants(context.scopes, 'admin:server_state', serverTarget));
  }
  if (anyServerScope) model['servers'] = servers;
  return model;
}
