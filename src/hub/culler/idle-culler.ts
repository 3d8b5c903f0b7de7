import type { HubDeps } from '../hub-deps.js';

export interface IdleCuller {
  start(): void;
  stop(): void;
  /** One pass: refresh activity from the proxy, stop idle or too-old servers, cull idle users. */
  runOnce(): Promise<{ stopped: string[]; deletedUsers: string[] }>;
}

const actor = { name: 'idle-culler' };

/**
 * The built-in equivalent of jupyterhub-idle-culler, working on the hub's own state instead of
 * through the REST API. A server's idle time starts at its last activity, as reported by the
 * proxy (traffic) or by the server itself (POST /activity), or at its start if it has none.
 */
export function createIdleCuller(deps: HubDeps): IdleCuller {
  const settings = deps.config.culler;
  const timeoutMs = settings.timeout * 1000;
  const everyMs = (settings.every > 0 ? settings.every : settings.timeout / 2) * 1000;
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  /** Proxy traffic counts as activity: raise servers' (and users') last_activity to their route's. */
  async function syncProxyActivity(): Promise<void> {
    for (const route of deps.routes.list()) {
      const userName = route.data['user'];
      const serverName = route.data['server_name'];
      if (typeof userName !== 'string' || typeof serverName !== 'string') continue;
      const user = await deps.users.get(userName);
      if (user) await deps.servers.recordActivity(user, serverName, route.lastActivity.toISOString());
    }
  }

  async function runOnce() {
    const stopped: string[] = [];
    const deletedUsers: string[] = [];
    await syncProxyActivity();
    const now = deps.clock().getTime();
    for (const server of deps.servers.all()) {
      if (!server.ready || server.pending !== null) continue;
      const started = server.started ? Date.parse(server.started) : now;
      const last = server.lastActivity ? Math.max(Date.parse(server.lastActivity), started) : started;
      const idle = now - last > timeoutMs;
      const old = settings.max_age > 0 && now - started > settings.max_age * 1000;
      if (!idle && !old) continue;
      const user = await deps.users.getById(server.userId);
      if (!user) continue;
      deps.logger.info({ user: user.name, server: server.name, idleSeconds: Math.round((now - last) / 1000), reason: idle ? 'idle' : 'max_age' }, 'culling server');
      await deps.servers.stop(user, server.name, actor);
      if (settings.remove_named_servers && server.name !== '') await deps.servers.forget(user, server.name);
      stopped.push(`${user.name}/${server.name}`);
    }
    if (settings.cull_users) {
      const active = new Set(deps.servers.all().map((server) => server.userId));
      for (const user of await deps.users.list()) {
        if (user.admin || active.has(user.id)) continue;
        const last = Date.parse(user.lastActivity ?? user.createdAt);
        if (now - last <= timeoutMs) continue;
        deps.logger.info({ user: user.name }, 'culling inactive user');
        await deps.users.remove(user.name, actor);
        deletedUsers.push(user.name);
      }
    }
    return { stopped, deletedUsers };
  }

  return {
    start() {
      if (!settings.enabled || timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = true;
        runOnce()
          .catch((error: unknown) => deps.logger.error({ err: error }, 'idle culler pass failed'))
          .finally(() => (running = false));
      }, everyMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
    runOnce,
  };
}
