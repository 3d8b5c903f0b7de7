import { entryByPid, type ServerContext } from './server-context.js';
import { entryKey } from './server-entry.js';
import { persistEntry } from './server-records.js';
import { markStopped } from './server-transitions.js';

/**
 * Follows what happens to running servers without the hub asking: unexpected exits (recorded as
 * stopped, with the spawner's reason kept for stopReason()) and memory-limit kills inside them
 * (shown as the server's notice).
 */
export function watchServerEvents(context: ServerContext): void {
  const { deps } = context;
  deps.spawner.onExit((state, exitCode, signal, reason) => {
    const entry = entryByPid(context, state.pid);
    // A stop under way or a spawn not yet ready handles its own end.
    if (!entry || entry.pending === 'stop' || !entry.ready) return;
    deps.logger.warn({ user: entry.userName, pid: state.pid, exitCode, signal, reason }, 'server exited unexpectedly');
    if (reason !== null) {
      entry.failure = reason;
      context.stopReasons.set(entryKey(entry.userId, entry.serverName), reason);
    }
    markStopped(context, entry, 'exited', { name: null }).catch((error: unknown) =>
      deps.logger.error({ err: error, user: entry.userName }, 'cannot record server exit'),
    );
  });

  deps.spawner.onOomKill?.((state, count) => {
    const entry = entryByPid(context, state.pid);
    const memory = entry?.state?.limits?.memory;
    if (!entry?.state || !memory) return;
    entry.notice = `memory limit (${memory.value}) exceeded: the kernel killed a process of this server (${count} so far), usually a notebook kernel`;
    entry.state = { ...entry.state, limits: { ...entry.state.limits, memory: { ...memory, oomKills: count } } };
    persistEntry(deps.db, entry, 'running').catch((error: unknown) => deps.logger.error({ err: error, user: entry.userName }, 'cannot record memory limit hit'));
  });
}
