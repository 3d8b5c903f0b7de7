import { BulwarkError } from '../errors/index.js';
import { findFreePort } from './free-port.js';
import { buildLaunchPlan } from './launch-plan.js';
import { describeExitStatus, launchServer, type LaunchedServer } from './launched-server.js';
import { removeTlsFiles, type LocalSpawnerContext, type OwnServer } from './local-spawner-context.js';
import type { ServerWatch } from './local-server-watch.js';
import { parseMemLimit } from './mem-limit.js';
import { expandUsername } from './path-templates.js';
import { runPreflight } from './preflight.js';
import { stopProcessGroup } from './process-group-stopper.js';
import { readProcess } from './process-table.js';
import { prepareLimits } from './resource-limits.js';
import { serverUrl } from './server-url.js';
import { buildServerEnvironment } from './server-environment.js';
import { httpsUrls } from './server-tls.js';
import { runSpawnHook, type HookSubject } from './spawn-hooks.js';
import type { ServerState, StartRequest } from './spawner.js';
import { waitForHttp } from './wait-for-http.js';

/** Stays under this so a failed start still ends close to start_timeout. */
const outputGraceMs = 500;

/**
 * Starting one server, preflight to ready, within spawner.start_timeout: check the account, run
 * the pre_spawn_hook, take a port, build the environment and limits, launch, record, wait for
 * it to answer. Whatever fails leaves no process, port, cgroup or certificate behind.
 */
export async function launchLocalServer(context: LocalSpawnerContext, watch: ServerWatch, request: StartRequest): Promise<ServerState> {
  const overall = new AbortController();
  const timer = setTimeout(() => overall.abort(), context.config.start_timeout * 1000);
  timer.unref();
  try {
    return await startWithin(context, watch, request, overall.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function startWithin(context: LocalSpawnerContext, watch: ServerWatch, request: StartRequest, deadline: AbortSignal): Promise<ServerState> {
  const { config } = context;
  const { username } = request;
  const progress = request.onProgress ?? (() => {});
  const startTimeout = (): BulwarkError => new BulwarkError('SPAWNER_START_TIMEOUT', { name: username, seconds: config.start_timeout });
  progress({ progress: 10, message: `Checking the OS account of ${username}` });
  const preflight = await runPreflight(username, { ...config, cmd: [...(request.command ?? config.cmd)] }, request.serverName);
  const memBytes = config.mem_limit === null ? null : parseMemLimit(config.mem_limit);
  if (deadline.aborted) throw startTimeout();

  const { account } = preflight;
  const hookSubject: HookSubject = { username, serverName: request.serverName, uid: account.uid, home: account.home };
  await runPreSpawn(context, hookSubject);
  const port = await allocatePort(context, username, preflight.commandPath);
  try {
    return await launchOnPort(context, watch, { request, deadline, preflight, hookSubject, port, memBytes });
  } catch (error) {
    await removeTlsFiles(context, { uid: account.uid, port });
    context.ports?.release(port);
    throw error;
  }
}

async function runPreSpawn(context: LocalSpawnerContext, subject: HookSubject): Promise<void> {
  const hook = context.config.pre_spawn_hook;
  if (!hook || hook.length === 0) return;
  const result = await runSpawnHook(hook, 'pre_spawn', subject, context.hookTimeoutMs);
  if (!result.ok) throw new BulwarkError('SPAWNER_HOOK_FAILED', { name: subject.username, reason: result.detail });
}

async function allocatePort(context: LocalSpawnerContext, username: string, commandPath: string): Promise<number> {
  const { config, ports } = context;
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

/** What the checks before launch settled. */
interface LaunchInputs {
  request: StartRequest;
  deadline: AbortSignal;
  preflight: Awaited<ReturnType<typeof runPreflight>>;
  hookSubject: HookSubject;
  port: number;
  memBytes: number | null;
}

async function launchOnPort(context: LocalSpawnerContext, watch: ServerWatch, inputs: LaunchInputs): Promise<ServerState> {
  const { config, logger, tls } = context;
  const { request, deadline, preflight, hookSubject, port, memBytes } = inputs;
  const { username } = request;
  const { account } = preflight;
  const progress = request.onProgress ?? (() => {});
  const startTimeout = (): BulwarkError => new BulwarkError('SPAWNER_START_TIMEOUT', { name: username, seconds: config.start_timeout });
  const plainUrl = serverUrl(config.ip, port, request.servicePrefix);
  const url = tls ? httpsUrls(plainUrl) : plainUrl;
  const tlsEnvironment = tls ? await tls.deliver({ username, uid: account.uid, gid: account.gid, port, ip: config.ip }) : {};
  const env = buildServerEnvironment({
    account,
    hubProcessEnv: context.hubProcessEnv,
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
  serverLogger.info({ argv: [plan.file, ...plan.args], cwd: preflight.workingDir, uid: account.uid, limits: limits?.applied ?? null }, 'spawning server');
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
  context.own.set(launched.pid, server);
  watch.watchOwn(server);
  // Read while the process certainly exists (a zombie still has its stat): exec keeps the start time.
  const processStartTime = (await readProcess(launched.pid))?.startTime;
  const launchedState: ServerState = {
    pid: launched.pid,
    port,
    ip: config.ip,
    uid: account.uid,
    gid: account.gid,
    startedAt: context.clock().toISOString(),
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
      await discard(context, server, account.uid);
      throw error;
    }
  }

  progress({ progress: 50, message: `Waiting for the server to answer at ${url.reach}` });
  const exitedEarly = new AbortController();
  void launched.exited.then(() => exitedEarly.abort());
  const readiness = await waitForHttp(`${url.reach}api`, {
    timeoutMs: config.http_timeout * 1000,
    signal: AbortSignal.any([deadline, exitedEarly.signal]),
    ...context.tlsPoll,
  });
  if (readiness.ready) {
    const state: ServerState = { ...launchedState, startedAt: context.clock().toISOString() };
    // The process may have died between the answer and here; report that as a failed start.
    if (launched.exitStatus() === null) {
      server.state = state;
      if (state.limits?.memory?.cgroup) watch.ensureWatching();
      serverLogger.info({ pid: state.pid, url: state.url, status: readiness.status }, 'server ready');
      progress({ progress: 100, message: `Server ready at ${state.url}` });
      return state;
    }
  }

  const exitStatus = launched.exitStatus();
  await discard(context, server, account.uid);
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
async function discard(context: LocalSpawnerContext, server: OwnServer, uid: number): Promise<void> {
  server.stopping = true;
  await stopProcessGroup({ pid: server.launched.pid, uid, ownChild: true }, context.timeouts, context.logger);
  await server.limits?.release();
  context.own.delete(server.launched.pid);
}
