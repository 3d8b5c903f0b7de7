import { BulwarkError, isBulwarkError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { findFreePort } from './free-port.js';
import { buildLaunchPlan } from './launch-plan.js';
import { describeExitStatus, exitStatusNumber, launchServer, type ExitStatus, type LaunchedServer } from './launched-server.js';
import { parseMemLimit } from './mem-limit.js';
import { findServerCgroupRelease, prepareMemoryLimit, type MemoryLimit } from './memory-limiter.js';
import { expandUsername } from './path-templates.js';
import { runPreflight } from './preflight.js';
import { isServerAlive, killProcessGroup, stopProcessGroup, type StopTimeouts } from './process-group-stopper.js';
import { buildServerEnvironment } from './server-environment.js';
import { serverUrl } from './server-url.js';
import type { ExitListener, ServerState, Spawner, SpawnerConfig, StartRequest } from './spawner.js';
import { waitForHttp } from './wait-for-http.js';

export interface LocalProcessSpawnerDeps {
  logger: Logger;
  clock?: () => Date;
  /** The hub's own environment, read only for the allowlisted locale variables; default process.env. */
  hubProcessEnv?: Readonly<Record<string, string | undefined>>;
}

/** A server this hub process launched. */
interface OwnServer {
  launched: LaunchedServer;
  memory: MemoryLimit | null;
  /** Null until the server is ready; exits before that belong to start(), not to onExit listeners. */
  state: ServerState | null;
  stopping: boolean;
}

/** Stays under this so a failed start still ends close to start_timeout. */
const outputGraceMs = 500;

/**
 * Runs each person's server as a local process under their own OS account (setpriv with their
 * supplementary groups), with an explicit environment, in a session of its own.
 */
export function createLocalProcessSpawner(config: SpawnerConfig, deps: LocalProcessSpawnerDeps): Spawner {
  const logger = deps.logger.child({ component: 'spawner' });
  const clock = deps.clock ?? (() => new Date());
  const hubProcessEnv = deps.hubProcessEnv ?? process.env;
  const timeouts: StopTimeouts = {
    interruptMs: (config.interrupt_timeout ?? 10) * 1000,
    termMs: (config.term_timeout ?? 5) * 1000,
    killMs: (config.kill_timeout ?? 5) * 1000,
  };
  const own = new Map<number, OwnServer>();
  /** Servers found alive through poll() that this process did not start; checked every poll_interval. */
  const adopted = new Map<number, ServerState>();
  const listeners: ExitListener[] = [];
  let livenessTimer: NodeJS.Timeout | null = null;

  function notifyExit(state: ServerState, exitCode: number | null, signal: string | null): void {
    for (const listener of listeners) {
      try {
        listener(state, exitCode, signal);
      } catch (error) {
        logger.error({ err: error, pid: state.pid }, 'exit listener failed');
      }
    }
  }

  function watchOwn(server: OwnServer): void {
    void server.launched.exited.then(async (status: ExitStatus) => {
      if (server.state === null || server.stopping) return;
      logger.warn({ pid: server.launched.pid, url: server.state.url, status: describeExitStatus(status) }, 'server exited unexpectedly');
      // Right now, while any surviving group member still holds the group id, is the only safe moment
      // to sweep the group: later the number could belong to an unrelated process group.
      killProcessGroup(server.launched.pid);
      await server.memory?.release();
      notifyExit(server.state, status.code, status.signal);
    });
  }

  async function checkAdopted(): Promise<void> {
    for (const [pid, state] of adopted) {
      if (await isServerAlive({ pid, uid: state.uid, ownChild: false })) continue;
      adopted.delete(pid);
      logger.warn({ pid, url: state.url }, 're-adopted server is gone');
      notifyExit(state, null, null);
    }
    if (adopted.size === 0 && livenessTimer !== null) {
      clearInterval(livenessTimer);
      livenessTimer = null;
    }
  }

  function adopt(state: ServerState): void {
    adopted.set(state.pid, state);
    if (livenessTimer === null) {
      livenessTimer = setInterval(() => void checkAdopted(), config.poll_interval * 1000);
      // Watching must never be the reason the hub process stays alive.
      livenessTimer.unref();
    }
  }

  async function start(request: StartRequest): Promise<ServerState> {
    const overall = new AbortController();
    const timer = setTimeout(() => overall.abort(), config.start_timeout * 1000);
    timer.unref();
    try {
      return await startWithin(request, overall.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  async function startWithin(request: StartRequest, deadline: AbortSignal): Promise<ServerState> {
    const { username } = request;
    const progress = request.onProgress ?? (() => {});
    const startTimeout = (): BulwarkError =>
      new BulwarkError('SPAWNER_START_TIMEOUT', { name: username, seconds: config.start_timeout });
    progress({ progress: 10, message: `Checking the OS account of ${username}` });
    const preflight = await runPreflight(username, config);
    const memBytes = config.mem_limit === null ? null : parseMemLimit(config.mem_limit);
    if (deadline.aborted) throw startTimeout();

    const { account } = preflight;
    const port = config.port !== 0 ? config.port : await findFreePort(config.ip).catch((error: unknown) => {
      throw new BulwarkError('SPAWNER_LAUNCH_FAILED', { name: username, command: preflight.commandPath, reason: `no free port on ${config.ip}: ${String(error)}` });
    });
    const url = serverUrl(config.ip, port, request.servicePrefix);
    const env = buildServerEnvironment({
      account,
      hubProcessEnv,
      hubEnvironment: request.hubEnvironment,
      serviceUrl: url.bind,
      rootDir: preflight.rootDir,
      defaultUrl: config.default_url === null ? null : expandUsername(config.default_url, username),
      memLimitBytes: memBytes,
      configEnvironment: config.environment,
    });
    const memory = memBytes === null ? null : await prepareMemoryLimit(memBytes, username, logger);
    const plan = buildLaunchPlan({
      account,
      commandPath: preflight.commandPath,
      commandArgs: [...config.cmd.slice(1), ...config.args],
      memory: memory?.enforcement ?? null,
    });
    const serverLogger = logger.child({ user: username, server: request.serverName });
    serverLogger.info(
      { argv: [plan.file, ...plan.args], cwd: preflight.workingDir, uid: account.uid, memory: memory?.mechanism ?? null },
      'spawning server',
    );
    progress({ progress: 30, message: 'Spawning server...' });
    let launched: LaunchedServer;
    try {
      launched = await launchServer(plan, { cwd: preflight.workingDir, env, logger: serverLogger });
    } catch (error) {
      await memory?.release();
      throw new BulwarkError(
        'SPAWNER_LAUNCH_FAILED',
        { name: username, command: plan.file, reason: error instanceof Error ? error.message : String(error) },
        { cause: error },
      );
    }
    const server: OwnServer = { launched, memory, state: null, stopping: false };
    own.set(launched.pid, server);
    watchOwn(server);

    progress({ progress: 50, message: `Waiting for the server to answer at ${url.reach}` });
    const exitedEarly = new AbortController();
    void launched.exited.then(() => exitedEarly.abort());
    const readiness = await waitForHttp(`${url.reach}api`, {
      timeoutMs: config.http_timeout * 1000,
      signal: AbortSignal.any([deadline, exitedEarly.signal]),
    });
    if (readiness.ready) {
      const state: ServerState = {
        pid: launched.pid,
        port,
        ip: config.ip,
        uid: account.uid,
        gid: account.gid,
        startedAt: clock().toISOString(),
        url: url.reach,
      };
      // The process may have died between the answer and here; report that as a failed start.
      if (launched.exitStatus() === null) {
        server.state = state;
        serverLogger.info({ pid: state.pid, url: state.url, status: readiness.status }, 'server ready');
        progress({ progress: 100, message: `Server ready at ${state.url}` });
        return state;
      }
    }

    const exitStatus = launched.exitStatus();
    await discard(server, account.uid);
    if (exitStatus !== null) {
      await launched.outputClosed(outputGraceMs);
      const output = launched.output.text() || '(no output)';
      serverLogger.error({ pid: launched.pid, status: describeExitStatus(exitStatus), output }, 'server exited during start-up');
      throw new BulwarkError('SPAWNER_PROCESS_EXITED', { name: username, status: describeExitStatus(exitStatus), output });
    }
    serverLogger.error({ pid: launched.pid, url: url.reach, output: launched.output.text() }, 'server did not become ready');
    if (deadline.aborted) throw startTimeout();
    throw new BulwarkError('SPAWNER_HTTP_TIMEOUT', { url: url.reach, seconds: config.http_timeout });
  }

  /** Stops a server whose start failed and forgets it. */
  async function discard(server: OwnServer, uid: number): Promise<void> {
    server.stopping = true;
    await stopProcessGroup({ pid: server.launched.pid, uid, ownChild: true }, timeouts, logger);
    await server.memory?.release();
    own.delete(server.launched.pid);
  }

  async function stop(state: ServerState): Promise<void> {
    const server = own.get(state.pid);
    if (server !== undefined) {
      server.stopping = true;
      if (server.launched.exitStatus() === null) {
        await stopProcessGroup({ pid: state.pid, uid: state.uid, ownChild: true }, timeouts, logger);
      }
      await server.memory?.release();
      own.delete(state.pid);
      logger.info({ pid: state.pid, url: state.url }, 'server stopped');
      return;
    }
    adopted.delete(state.pid);
    const target = { pid: state.pid, uid: state.uid, ownChild: false };
    if (!(await isServerAlive(target))) return;
    const releaseCgroup = await findServerCgroupRelease(state.pid, logger);
    await stopProcessGroup(target, timeouts, logger);
    await releaseCgroup?.();
    logger.info({ pid: state.pid, url: state.url }, 're-adopted server stopped');
  }

  async function poll(state: ServerState): Promise<number | null> {
    const server = own.get(state.pid);
    if (server !== undefined) {
      const status = server.launched.exitStatus();
      return status === null ? null : exitStatusNumber(status);
    }
    if (await isServerAlive({ pid: state.pid, uid: state.uid, ownChild: false })) {
      if (!adopted.has(state.pid)) adopt(state);
      return null;
    }
    adopted.delete(state.pid);
    return 0;
  }

  return {
    async start(request) {
      try {
        return await start(request);
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
    onExit(listener) {
      listeners.push(listener);
    },
  };
}
