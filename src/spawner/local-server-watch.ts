import { describeExitStatus, type ExitStatus } from './launched-server.js';
import { adoptedTarget, releaseRecordedCgroups, removeTlsFiles, runPostStop, type LocalSpawnerContext, type OwnServer } from './local-spawner-context.js';
import { memoryLimitReason, readOomKills } from './oom-kills.js';
import { isServerAlive, killProcessGroup } from './process-group-stopper.js';
import type { ExitListener, OomListener, ServerState } from './spawner.js';

/**
 * Watching running servers: the exit of a server this process launched (its child), the liveness
 * of re-adopted ones (not children: checked every poll_interval), and OOM kills inside either.
 */
export interface ServerWatch {
  /** Follows a launched server's exit; only exits after it is ready reach onExit listeners. */
  watchOwn(server: OwnServer): void;
  /** Takes over a server an earlier hub process launched: its port is held and its liveness checked. */
  adopt(state: ServerState): void;
  /** Starts the poll_interval timer (idempotent); ready servers with a memory cgroup need it for OOM reports. */
  ensureWatching(): void;
  onExit(listener: ExitListener): void;
  onOomKill(listener: OomListener): void;
}

export function createServerWatch(context: LocalSpawnerContext): ServerWatch {
  const { config, logger, own, adopted, oomSeen, ports } = context;
  const listeners: ExitListener[] = [];
  const oomListeners: OomListener[] = [];
  let livenessTimer: NodeJS.Timeout | null = null;

  function notifyExit(state: ServerState, exitCode: number | null, signal: string | null, reason: string | null): void {
    for (const listener of listeners) {
      try {
        listener(state, exitCode, signal, reason);
      } catch (error) {
        logger.error({ err: error, pid: state.pid }, 'exit listener failed');
      }
    }
  }

  /** Why a server that just died died, when its memory cgroup says the kernel killed it. */
  async function limitReason(state: ServerState): Promise<string | null> {
    const memory = state.limits?.memory;
    if (memory === undefined) return null;
    const kills = await readOomKills(memory);
    return kills > 0 ? memoryLimitReason(memory) : null;
  }

  /** Reports OOM kills inside running servers (the kernel picks the biggest process: usually a kernel). */
  async function checkOom(): Promise<void> {
    const states = [...[...own.values()].map((server) => server.state), ...adopted.values()];
    for (const state of states) {
      if (state === null || state.limits?.memory?.cgroup == null) continue;
      const kills = await readOomKills(state.limits.memory);
      if (kills <= (oomSeen.get(state.pid) ?? 0)) continue;
      oomSeen.set(state.pid, kills);
      logger.warn({ pid: state.pid, url: state.url, oomKills: kills, limit: state.limits.memory.value }, 'memory limit hit inside a server');
      for (const listener of oomListeners) listener(state, kills);
    }
  }

  async function checkAdopted(): Promise<void> {
    for (const [pid, state] of adopted) {
      if (await isServerAlive(adoptedTarget(state))) continue;
      adopted.delete(pid);
      oomSeen.delete(pid);
      logger.warn({ pid, url: state.url }, 're-adopted server is gone');
      const reason = await limitReason(state);
      await releaseRecordedCgroups(state, logger);
      await removeTlsFiles(context, state);
      if (ports !== null) ports.release(state.port);
      notifyExit(state, null, null, reason);
    }
  }

  function ensureWatching(): void {
    if (livenessTimer !== null) return;
    livenessTimer = setInterval(() => {
      void checkAdopted().then(checkOom).catch((error: unknown) => logger.error({ err: error }, 'server watch failed'));
    }, config.poll_interval * 1000);
    // Watching must never be the reason the hub process stays alive.
    livenessTimer.unref();
  }

  return {
    watchOwn(server) {
      void server.launched.exited.then(async (status: ExitStatus) => {
        if (server.state === null || server.stopping) return;
        logger.warn({ pid: server.launched.pid, url: server.state.url, status: describeExitStatus(status) }, 'server exited unexpectedly');
        // Right now, while any surviving group member still holds the group id, is the only safe moment
        // to sweep the group: later the number could belong to an unrelated process group.
        killProcessGroup(server.launched.pid);
        const reason = await limitReason(server.state);
        await server.limits?.release();
        if (ports !== null) ports.release(server.state.port);
        await removeTlsFiles(context, server.state);
        oomSeen.delete(server.launched.pid);
        notifyExit(server.state, status.code, status.signal, reason);
        await runPostStop(context, server.hookSubject);
      });
    },
    adopt(state) {
      adopted.set(state.pid, state);
      ports?.hold(state.port);
      ensureWatching();
    },
    ensureWatching,
    onExit(listener) {
      listeners.push(listener);
    },
    onOomKill(listener) {
      oomListeners.push(listener);
    },
  };
}
