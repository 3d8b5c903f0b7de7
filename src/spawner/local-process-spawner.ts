import { BulwarkError, isBulwarkError } from '../errors/index.js';
import { exitStatusNumber } from './launched-server.js';
import { launchLocalServer } from './local-server-launch.js';
import { createServerWatch } from './local-server-watch.js';
import {
  adoptedTarget,
  createLocalSpawnerContext,
  releaseRecordedCgroups,
  removeTlsFiles,
  runPostStop,
  type LocalProcessSpawnerDeps,
} from './local-spawner-context.js';
import { findServerCgroupRelease } from './memory-limiter.js';
import { isServerAlive, stopProcessGroup } from './process-group-stopper.js';
import type { ServerState, Spawner, SpawnerConfig } from './spawner.js';
import { waitForHttp } from './wait-for-http.js';

export type { LocalProcessSpawnerDeps } from './local-spawner-context.js';

/**
 * Runs each person's server as a local process under their own OS account (setpriv with their
 * supplementary groups), with an explicit environment, in a session of its own. Launching lives
 * in local-server-launch.ts and watching in local-server-watch.ts; stopping, polling and resuming
 * stay here because each works on both kinds of server: launched by this process or adopted.
 */
export function createLocalProcessSpawner(config: SpawnerConfig, deps: LocalProcessSpawnerDeps): Spawner {
  const context = createLocalSpawnerContext(config, deps);
  const { logger, timeouts, own, adopted, oomSeen, ports } = context;
  const watch = createServerWatch(context);

  async function stop(state: ServerState): Promise<void> {
    const server = own.get(state.pid);
    if (server !== undefined) {
      server.stopping = true;
      if (server.launched.exitStatus() === null) {
        await stopProcessGroup({ pid: state.pid, uid: state.uid, ownChild: true }, timeouts, logger);
      }
      await server.limits?.release();
      own.delete(state.pid);
      oomSeen.delete(state.pid);
      ports?.release(state.port);
      logger.info({ pid: state.pid, url: state.url }, 'server stopped');
      await removeTlsFiles(context, state);
      await runPostStop(context, server.hookSubject);
      return;
    }
    adopted.delete(state.pid);
    oomSeen.delete(state.pid);
    const target = adoptedTarget(state);
    // Not our process (any more): a dead server's cgroups can still go, its pid is never signalled.
    if (!(await isServerAlive(target))) {
      await releaseRecordedCgroups(state, logger);
      await removeTlsFiles(context, state);
      return;
    }
    ports?.release(state.port);
    const releaseCgroup = await findServerCgroupRelease(state.pid, logger);
    await stopProcessGroup(target, timeouts, logger);
    await releaseCgroup?.();
    await releaseRecordedCgroups(state, logger);
    logger.info({ pid: state.pid, url: state.url }, 're-adopted server stopped');
    await removeTlsFiles(context, state);
    if (state.hookSubject !== undefined) await runPostStop(context, state.hookSubject);
  }

  async function resume(state: ServerState): Promise<boolean> {
    const target = adoptedTarget(state);
    if (!(await isServerAlive(target))) {
      await releaseRecordedCgroups(state, logger);
      return false;
    }
    watch.adopt(state);
    // Stop waiting as soon as the process is gone (checked once a second, like a slow poll).
    const gone = new AbortController();
    const aliveCheck = setInterval(() => {
      void isServerAlive(target).then((alive) => (alive ? undefined : gone.abort()));
    }, 1000);
    aliveCheck.unref();
    const readiness = await waitForHttp(`${state.url}api`, { timeoutMs: config.http_timeout * 1000, signal: gone.signal, ...context.tlsPoll }).finally(() =>
      clearInterval(aliveCheck),
    );
    if (readiness.ready && (await isServerAlive(target))) {
      logger.info({ pid: state.pid, url: state.url }, 'server launched by an earlier hub process is ready; adopted');
      return true;
    }
    logger.warn({ pid: state.pid, url: state.url }, 'server launched by an earlier hub process did not become ready; stopping it');
    ports?.release(state.port);
    await stop(state);
    return false;
  }

  async function poll(state: ServerState): Promise<number | null> {
    const server = own.get(state.pid);
    if (server !== undefined) {
      const status = server.launched.exitStatus();
      return status === null ? null : exitStatusNumber(status);
    }
    if (await isServerAlive(adoptedTarget(state))) {
      if (!adopted.has(state.pid)) watch.adopt(state);
      return null;
    }
    adopted.delete(state.pid);
    return 0;
  }

  return {
    async start(request) {
      try {
        return await launchLocalServer(context, watch, request);
      } catch (error) {
        if (isBulwarkError(error)) throw error;
        // Anything unforeseen still leaves as a spawner error that names the user.
        throw new BulwarkError(
          'SPAWNER_LAUNCH_FAILED',
          { name: request.username, command: config.cmd[0] ?? '', reason: error instanceof Error ? error.message : String(error) },
          { cause: error },
        );
      }
    },
    stop,
    poll,
    resume,
    onExit: (listener) => watch.onExit(listener),
    onOomKill: (listener) => watch.onOomKill(listener),
  };
}
