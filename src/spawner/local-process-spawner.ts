import { BulwarkError, isBulwarkError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { findFreePort } from './free-port.js';
import { buildLaunchPlan } from './launch-plan.js';
import { describeExitStatus, exitStatusNumber, launchServer, type ExitStatus, type LaunchedServer } from './launched-server.js';
import { parseMemLimit } from './mem-limit.js';
import { findServerCgroupRelease } from './memory-limiter.js';
import { removeCgroup } from './cgroup-removal.js';
import { memoryLimitReason, readOomKills } from './oom-kills.js';
import { expandUsername } from './path-templates.js';
import { PortAllocator } from './port-allocator.js';
import { readProcess } from './process-table.js';
import { prepareLimits, type PreparedLimits } from './resource-limits.js';
import { runSpawnHook, type HookSubject } from './spawn-hooks.js';
import { runPreflight } from './preflight.js';
import { isServerAlive, killProcessGroup, stopProcessGroup, type StopTimeouts } from './process-group-stopper.js';
import { buildServerEnvironment } from './server-environment.js';
import { serverUrl } from './server-url.js';
import { httpsUrls, type ServerTls } from './server-tls.js';
import type { ExitListener, OomListener, ServerState, Spawner, SpawnerConfig, StartRequest } from './spawner.js';
import { waitForHttp } from './wait-for-http.js';

export interface LocalProcessSpawnerDeps {
  logger: Logger;
  clock?: () => Date;
  /** The hub's own environment, read only for the allowlisted locale variables; default process.env. */
  hubProcessEnv?: Readonly<Record<string, string | undefined>>;
  /** hub.internal_tls: servers get certificate files and https URLs, and are polled with a client certificate. */
  serverTls?: ServerTls;
}

/** A server this hub process launched. */
interface OwnServer {
  launched: LaunchedServer;
  limits: PreparedLimits | null;
  hookSubject: HookSubject;
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
  const oomListeners: OomListener[] = [];
  /** OOM-kill counts already reported, per pid. */
  const oomSeen = new Map<number, number>();
  const ports = config.port_range ? new PortAllocator(config.ip, config.port_range) : null;
  const hookTimeoutMs = (config.hook_timeout ?? 30) * 1000;
  const tls = deps.serverTls;
  const tlsPoll = tls ? { tls: tls.hubClient } : {};
  /** Certificate files outlive no server: removed after every stop, exit or failed start. */
  async function removeTlsFiles(server: { uid: number; port: number }): Promise<void> {
    await tls?.remove(server).catch((error: unknown) => logger.error({ err: error, port: server.port }, 'internal TLS files could not be removed'));
  }
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

  async function runPostStop(subject: HookSubject): Promise<void> {
    if (!config.post_stop_hook || config.post_stop_hook.length === 0) return;
    const result = await runSpawnHook(config.post_stop_hook, 'post_stop', subject, hookTimeoutMs);
    if (!result.ok) logger.warn({ user: subject.username, detail: result.detail }, 'post_stop_hook failed');
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

  function ensureWatching(): void {
    if (livenessTimer !== null) return;
    livenessTimer = setInterval(() => {
      void checkAdopted().then(checkOom).catch((error: unknown) => logger.error({ err: error }, 'server watch failed'));
    }, config.poll_interval * 1000);
    // Watching must never be the reason the hub process stays alive.
    livenessTimer.unref();
  }

  function watchOwn(server: OwnServer): void {
    void server.launched.exited.then(async (status: ExitStatus) => {
      if (server.state === null || server.stopping) return;
      logger.warn({ pid: server.launched.pid, url: server.state.url, status: describeExitStatus(status) }, 'server exited unexpectedly');
      // Right now, while any surviving group member still holds the group id, is the only safe moment
      // to sweep the group: later the number could belong to an unrelated process group.
      killProcessGroup(server.launched.pid);
      const reason = await limitReason(server.state);
      await server.limits?.release();
      if (ports !== null) ports.release(server.state.port);
      await removeTlsFiles(server.state);
      oomSeen.delete(server.launched.pid);
      notifyExit(server.state, status.code, status.signal, reason);
      await runPostStop(server.hookSubject);
    });
  }

  async function checkAdopted(): Promise<void> {
    for (const [pid, state] of adopted) {
      if (await isServerAlive(adoptedTarget(state))) continue;
      adopted.delete(pid);
      oomSeen.delete(pid);
      logger.warn({ pid, url: state.url }, 're-adopted server is gone');
      const reason = await limitReason(state);
      await releaseRecordedCgroups(state);
      await removeTlsFiles(state);
      if (ports !== null) ports.release(state.port);
      notifyExit(state, null, null, reason);
    }
  }

  function adopt(state: ServerState): void {
    adopted.set(state.pid, state);
    ports?.hold(state.port);
    ensureWatching();
  }

  /** A stored server is matched by pid, start time and uid; without a start time nothing matches. */
  function adoptedTarget(state: ServerState): { pid: number; uid: number; ownChild: false; startTime: number } {
    return { pid: state.pid, uid: state.uid, ownChild: false, startTime: state.processStartTime ?? -1 };
  }

  /** Removes the cgroups recorded in a re-adopted server's state (only ones the spawner named). */
  async function releaseRecordedCgroups(state: ServerState): Promise<void> {
    for (const limit of Object.values(state.limits ?? {})) {
      const dir = limit?.cgroup;
      if (typeof dir === 'string' && dir.startsWith('/sys/fs/cgroup/') && /\/bulwark-[^/]+$/.test(dir)) await removeCgroup(dir, logger);
    }
  }

  async function allocatePort(username: string, commandPath: string): Promise<number> {
    if (config.port !== 0) return config.port;
    if (ports !== null && config.port_range) {
      const port = await ports.take();
      if (port === null) throw new BulwarkError('SPAWNER_NO_PORT', { name: username, range: `${config.port_range[0]}-${config.port_range[1]}` });
      return port;
    }
    return findFreePort(config.ip).catch((error: unknown) => {
      throw new BulwarkError('SPAWNER_LAUNCH_FAILED', { name: username, command: commandPath, reason: `no free port on ${config.ip}: ${String(error)}` });
    });
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
    const preflight = await runPreflight(username, { ...config, cmd: [...(request.command ?? config.cmd)] }, request.serverName);
    const memBytes = config.mem_limit === null ? null : parseMemLimit(config.mem_limit);
    if (deadline.aborted) throw startTimeout();

    const { account } = preflight;
    const hookSubject: HookSubject = { username, serverName: request.serverName, uid: account.uid, home: account.home };
    await runPreSpawn(hookSubject);
    const port = await allocatePort(username, preflight.commandPath);
    try {
      return await launchOnPort(request, deadline, preflight, hookSubject, port, memBytes);
    } catch (error) {
      await removeTlsFiles({ uid: account.uid, port });
      ports?.release(port);
      throw error;
    }
  }

  async function runPreSpawn(subject: HookSubject): Promise<void> {
    if (!config.pre_spawn_hook || config.pre_spawn_hook.length === 0) return;
    const result = await runSpawnHook(config.pre_spawn_hook, 'pre_spawn', subject, hookTimeoutMs);
    if (!result.ok) throw new BulwarkError('SPAWNER_HOOK_FAILED', { name: subject.username, reason: result.detail });
  }

  async function launchOnPort(
    request: StartRequest,
    deadline: AbortSignal,
    preflight: Awaited<ReturnType<typeof runPreflight>>,
    hookSubject: HookSubject,
    port: number,
    memBytes: number | null,
  ): Promise<ServerState> {
    const { username } = request;
    const { account } = preflight;
    const progress = request.onProgress ?? (() => {});
    const startTimeout = (): BulwarkError =>
      new BulwarkError('SPAWNER_START_TIMEOUT', { name: username, seconds: config.start_timeout });
    const plainUrl = serverUrl(config.ip, port, request.servicePrefix);
    const url = tls ? httpsUrls(plainUrl) : plainUrl;
    const tlsEnvironment = tls ? await tls.deliver({ username, uid: account.uid, gid: account.gid, port, ip: config.ip }) : {};
    const env = buildServerEnvironment({
      account,
      hubProcessEnv,
      hubEnvironment: { ...request.hubEnvironment, ...tlsEnvironment },
      serviceUrl: url.bind,
      rootDir: preflight.rootDir,
      defaultUrl: config.default_url === null ? null : expandUsername(config.default_url, username),
      memLimitBytes: memBytes,
      ...(request.environment ? { requestEnvironment: request.environment } : {}),
      configEnvironment: config.environment,
    });
    const limits = await prepareLimits(config, username, logger);
    const plan = buildLaunchPlan({
      account,
      commandPath: preflight.commandPath,
      commandArgs: [...(request.command ?? config.cmd).slice(1), ...config.args],
      memory: limits?.memory?.enforcement ?? null,
      cgroupProcsFiles: limits?.procsFiles ?? [],
      prlimitArgs: limits?.prlimitArgs ?? [],
    });
    const serverLogger = logger.child({ user: username, server: request.serverName });
    serverLogger.info(
      { argv: [plan.file, ...plan.args], cwd: preflight.workingDir, uid: account.uid, limits: limits?.applied ?? null },
      'spawning server',
    );
    progress({ progress: 30, message: 'Spawning server...' });
    let launched: LaunchedServer;
    try {
      launched = await launchServer(plan, { cwd: preflight.workingDir, env, logger: serverLogger });
    } catch (error) {
      await limits?.release();
      throw new BulwarkError(
        'SPAWNER_LAUNCH_FAILED',
        { name: username, command: plan.file, reason: error instanceof Error ? error.message : String(error) },
        { cause: error },
      );
    }
    const server: OwnServer = { launched, limits, hookSubject, state: null, stopping: false };
    own.set(launched.pid, server);
    watchOwn(server);
    // Read while the process certainly exists (a zombie still has its stat): exec keeps the start time.
    const processStartTime = (await readProcess(launched.pid))?.startTime;
    const launchedState: ServerState = {
      pid: launched.pid,
      port,
      ip: config.ip,
      uid: account.uid,
      gid: account.gid,
      startedAt: clock().toISOString(),
      url: url.reach,
      ...(processStartTime === undefined ? {} : { processStartTime }),
      ...(limits === null ? {} : { limits: limits.applied }),
      ...(config.post_stop_hook ? { hookSubject } : {}),
    };
    if (request.onLaunched) {
      try {
        // Durable before readiness polling: a hub killed from here on leaves a process it can find again.
        await request.onLaunched(launchedState);
      } catch (error) {
        await discard(server, account.uid);
        throw error;
      }
    }

    progress({ progress: 50, message: `Waiting for the server to answer at ${url.reach}` });
    const exitedEarly = new AbortController();
    void launched.exited.then(() => exitedEarly.abort());
    const readiness = await waitForHttp(`${url.reach}api`, {
      timeoutMs: config.http_timeout * 1000,
      signal: AbortSignal.any([deadline, exitedEarly.signal]),
      ...tlsPoll,
    });
    if (readiness.ready) {
      const state: ServerState = { ...launchedState, startedAt: clock().toISOString() };
      // The process may have died between the answer and here; report that as a failed start.
      if (launched.exitStatus() === null) {
        server.state = state;
        if (state.limits?.memory?.cgroup) ensureWatching();
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
    await server.limits?.release();
    own.delete(server.launched.pid);
  }

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
      await removeTlsFiles(state);
      await runPostStop(server.hookSubject);
      return;
    }
    adopted.delete(state.pid);
    oomSeen.delete(state.pid);
    const target = adoptedTarget(state);
    // Not our process (any more): a dead server's cgroups can still go, its pid is never signalled.
    if (!(await isServerAlive(target))) {
      await releaseRecordedCgroups(state);
      await removeTlsFiles(state);
      return;
    }
    ports?.release(state.port);
    const releaseCgroup = await findServerCgroupRelease(state.pid, logger);
    await stopProcessGroup(target, timeouts, logger);
    await releaseCgroup?.();
    await releaseRecordedCgroups(state);
    logger.info({ pid: state.pid, url: state.url }, 're-adopted server stopped');
    await removeTlsFiles(state);
    if (state.hookSubject !== undefined) await runPostStop(state.hookSubject);
  }

  async function resume(state: ServerState): Promise<boolean> {
    const target = adoptedTarget(state);
    if (!(await isServerAlive(target))) {
      await releaseRecordedCgroups(state);
      return false;
    }
    adopt(state);
    // Stop waiting as soon as the process is gone (checked once a second, like a slow poll).
    const gone = new AbortController();
    const watch = setInterval(() => {
      void isServerAlive(target).then((alive) => (alive ? undefined : gone.abort()));
    }, 1000);
    watch.unref();
    const readiness = await waitForHttp(`${state.url}api`, { timeoutMs: config.http_timeout * 1000, signal: gone.signal, ...tlsPoll }).finally(() =>
      clearInterval(watch),
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
    resume,
    onExit(listener) {
      listeners.push(listener);
    },
    onOomKill(listener) {
      oomListeners.push(listener);
    },
  };
}
