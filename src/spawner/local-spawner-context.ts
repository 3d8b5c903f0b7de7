import type { Logger } from '../log/logger.js';
import { removeCgroup } from './cgroup-removal.js';
import type { LaunchedServer } from './launched-server.js';
import { PortAllocator } from './port-allocator.js';
import type { StopTarget, StopTimeouts } from './process-group-stopper.js';
import type { PreparedLimits } from './resource-limits.js';
import { runSpawnHook, type HookSubject } from './spawn-hooks.js';
import type { ServerTls, ServerTlsClient } from './server-tls.js';
import type { ServerState, SpawnerConfig } from './spawner.js';

/** A server this hub process launched. */
export interface OwnServer {
  launched: LaunchedServer;
  limits: PreparedLimits | null;
  hookSubject: HookSubject;
  /** Null until the server is ready; exits before that belong to start(), not to onExit listeners. */
  state: ServerState | null;
  stopping: boolean;
}

/**
 * What the local process spawner's parts (launch, watch, stop and adoption) share: the resolved
 * settings and the tables of servers. Each table is filled by one part and emptied by another
 * (a launched server is forgotten by stop() or a failed start), so they live here.
 */
export interface LocalSpawnerContext {
  readonly config: SpawnerConfig;
  readonly logger: Logger;
  readonly clock: () => Date;
  /** The hub's own environment, read only for the allowlisted locale variables. */
  readonly hubProcessEnv: Readonly<Record<string, string | undefined>>;
  readonly timeouts: StopTimeouts;
  readonly hookTimeoutMs: number;
  /** Null unless spawner.port_range is set. */
  readonly ports: PortAllocator | null;
  readonly tls: ServerTls | undefined;
  /** Spread into readiness polls: the hub's client certificate when servers serve TLS. */
  readonly tlsPoll: { tls?: ServerTlsClient };
  readonly own: Map<number, OwnServer>;
  /** Servers found alive through poll() that this process did not start; checked every poll_interval. */
  readonly adopted: Map<number, ServerState>;
  /** OOM-kill counts already reported, per pid. */
  readonly oomSeen: Map<number, number>;
}

export interface LocalProcessSpawnerDeps {
  logger: Logger;
  clock?: () => Date;
  /** The hub's own environment, read only for the allowlisted locale variables; default process.env. */
  hubProcessEnv?: Readonly<Record<string, string | undefined>>;
  /** hub.internal_tls: servers get certificate files and https URLs, and are polled with a client certificate. */
  serverTls?: ServerTls;
}

export function createLocalSpawnerContext(config: SpawnerConfig, deps: LocalProcessSpawnerDeps): LocalSpawnerContext {
  const tls = deps.serverTls;
  return {
    config,
    logger: deps.logger.child({ component: 'spawner' }),
    clock: deps.clock ?? (() => new Date()),
    hubProcessEnv: deps.hubProcessEnv ?? process.env,
    timeouts: {
      interruptMs: (config.interrupt_timeout ?? 10) * 1000,
      termMs: (config.term_timeout ?? 5) * 1000,
      killMs: (config.kill_timeout ?? 5) * 1000,
    },
    hookTimeoutMs: (config.hook_timeout ?? 30) * 1000,
    ports: config.port_range ? new PortAllocator(config.ip, config.port_range) : null,
    tls,
    tlsPoll: tls ? { tls: tls.hubClient } : {},
    own: new Map(),
    adopted: new Map(),
    oomSeen: new Map(),
  };
}

/** Certificate files outlive no server: removed after every stop, exit or failed start. */
export async function removeTlsFiles(context: LocalSpawnerContext, server: { uid: number; port: number }): Promise<void> {
  await context.tls
    ?.remove(server)
    .catch((error: unknown) => context.logger.error({ err: error, port: server.port }, 'internal TLS files could not be removed'));
}

export async function runPostStop(context: LocalSpawnerContext, subject: HookSubject): Promise<void> {
  const hook = context.config.post_stop_hook;
  if (!hook || hook.length === 0) return;
  const result = await runSpawnHook(hook, 'post_stop', subject, context.hookTimeoutMs);
  if (!result.ok) context.logger.warn({ user: subject.username, detail: result.detail }, 'post_stop_hook failed');
}

/** A stored server is matched by pid, start time and uid; without a start time nothing matches. */
export function adoptedTarget(state: ServerState): StopTarget & { ownChild: false; startTime: number } {
  return { pid: state.pid, uid: state.uid, ownChild: false, startTime: state.processStartTime ?? -1 };
}

/** Removes the cgroups recorded in a re-adopted server's state (only ones the spawner named). */
export async function releaseRecordedCgroups(state: ServerState, logger: Logger): Promise<void> {
  for (const limit of Object.values(state.limits ?? {})) {
    const dir = limit?.cgroup;
    if (typeof dir === 'string' && dir.startsWith('/sys/fs/cgroup/') && /\/bulwark-[^/]+$/.test(dir)) await removeCgroup(dir, logger);
  }
}
