/**
 * The seam between the hub and whatever runs users' servers. The hub only ever talks to this
 * interface; the local-process implementation lives in local-process-spawner.ts.
 */

/** Resolved config, section `spawner` (snake_case keys as in JupyterHub). */
export interface SpawnerConfig {
  /** Default ['jupyterhub-singleuser']; a bare name is looked up on the servers' fixed PATH, not root's. */
  cmd: string[];
  args: string[];
  /** Applied last, so it can override anything the spawner or the hub computed. */
  environment: Record<string, string>;
  /** '{username}' expands, a leading '~' is the home directory; null means the home directory. Becomes cwd and JUPYTERHUB_ROOT_DIR. */
  notebook_dir: string | null;
  /** Passed as JUPYTERHUB_DEFAULT_URL ('{username}' expands). */
  default_url: string | null;
  /** Accounts below this uid are refused (default 1000). */
  min_uid: number;
  /** 0 picks a free port on `ip`. */
  port: number;
  ip: string;
  /** Seconds (default 60): the whole start, preflight to ready, must fit in it. */
  start_timeout: number;
  /** Seconds (default 30): readiness polling gives up after this. */
  http_timeout: number;
  /** Seconds (default 30): how often servers re-adopted from the database are checked for liveness. */
  poll_interval: number;
  /** '512M', '2G', a byte count, or null for no limit. */
  mem_limit: string | null;
  /** CPU cores (1.5 = one and a half), or null for no limit; needs a cgroup cpu controller. */
  cpu_limit?: number | null;
  /** Most processes and threads of one server, or null; a pids cgroup, else RLIMIT_NPROC. */
  pids_limit?: number | null;
  /** [first, last]: servers get ports from this range instead of any free port (unless `port` is set). */
  port_range?: readonly [number, number] | null;
  /** argv run as root before each start; a non-zero exit fails the start with its output. */
  pre_spawn_hook?: readonly string[] | null;
  /** argv run as root after each stop (or exit); failures are only logged. */
  post_stop_hook?: readonly string[] | null;
  /** Seconds each hook may run (default 30). */
  hook_timeout?: number;
  /** Seconds to wait after SIGINT before SIGTERM (default 10, as JupyterHub). */
  interrupt_timeout?: number;
  /** Seconds to wait after SIGTERM before SIGKILL (default 5, as JupyterHub). */
  term_timeout?: number;
  /** Seconds to wait after SIGKILL before giving up with a warning (default 5, as JupyterHub). */
  kill_timeout?: number;
}

export interface StartRequest {
  /** Hub user name; equals the OS account name. */
  username: string;
  /** '' for the default server. */
  serverName: string;
  /** The server's base URL path, e.g. '/user/alice/'. */
  servicePrefix: string;
  /**
   * JUPYTERHUB_* contract variables computed by the hub (token, client id, API and activity URLs,
   * OAuth variables...): everything except JUPYTERHUB_SERVICE_URL, which needs the port.
   */
  hubEnvironment: Record<string, string>;
  onProgress?: (event: ProgressEvent) => void;
  /** Replaces spawner.cmd for this start (spawner.args still follow), e.g. a person's venv python. */
  command?: readonly string[];
  /**
   * Set after the spawner's own variables (PATH included) and before spawner.environment: the
   * package channel binding (PIP_*, VIRTUAL_ENV, a PATH with the venv first).
   */
  environment?: Readonly<Record<string, string>>;
  /**
   * Called once the process exists, before it is ready, with the state a later hub process needs to
   * adopt or stop it. The start waits for it, so a hub killed mid-spawn has the pid on record; if it
   * throws, the process is stopped and the start fails.
   */
  onLaunched?: (state: ServerState) => Promise<void>;
}

export interface ProgressEvent {
  progress?: number;
  message: string;
}

/** One limit as it was put in place, for the admin page and the REST model's `state`. */
export interface AppliedLimit {
  /** The configured value, e.g. '512M', '1.5' (cores), '256' (processes). */
  value: string;
  mechanism: 'cgroup-v1' | 'cgroup-v2' | 'prlimit';
  /** The cgroup directory the spawner made, or null for prlimit. */
  cgroup: string | null;
  /** Memory only: processes the kernel killed in the cgroup while the server ran (set by the hub). */
  oomKills?: number;
}

export interface ServerLimits {
  memory?: AppliedLimit;
  cpu?: AppliedLimit;
  pids?: AppliedLimit;
}

/** What the hub stores so that a later hub process can poll and stop the server again. */
export interface ServerState {
  pid: number;
  /**
   * Start time of the process in clock ticks since boot (/proc/<pid>/stat field 22). With pid and
   * uid it names the process even after the pid is reused; a stored state without it is never adopted.
   */
  processStartTime?: number;
  /** The limits the server runs under; absent when none is configured. */
  limits?: ServerLimits;
  /** Who the post_stop_hook names, kept so a later hub process can run it too. */
  hookSubject?: { username: string; serverName: string; uid: number; home: string };
  port: number;
  ip: string;
  uid: number;
  gid: number;
  startedAt: string;
  /** e.g. http://127.0.0.1:PORT/user/alice/ */
  url: string;
}

/** `reason` is set when the spawner knows why, e.g. 'stopped: memory limit (512M) exceeded'. */
export type ExitListener = (state: ServerState, exitCode: number | null, signal: string | null, reason: string | null) => void;

/** A process of a running server was killed for exceeding its memory limit; `count` is the cgroup's total. */
export type OomListener = (state: ServerState, count: number) => void;

export interface Spawner {
  /**
   * Preflight checks, launch, wait until `${url}api` answers with any status below 500, resolve with
   * the state. On failure or timeout the process group is killed and the promise rejects with a
   * SPAWNER_* BulwarkError.
   */
  start(request: StartRequest): Promise<ServerState>;
  /** SIGINT, wait, SIGTERM, wait, SIGKILL to the whole process group. Stopping a dead server resolves. */
  stop(state: ServerState): Promise<void>;
  /**
   * null while running, else the exit status: the exit code, 128 + signal number when killed by a
   * signal, or 0 when unknown (a re-adopted process that is not our child).
   */
  poll(state: ServerState): Promise<number | null>;
  /**
   * A server an earlier hub process launched but never saw ready (it was killed mid-spawn): waits
   * up to spawner.http_timeout for it to answer. true: it is ready and watched like a re-adopted
   * server. false: it was gone, or it has been stopped for not answering. Matched like poll().
   */
  resume?(state: ServerState): Promise<boolean>;
  /** Unexpected exits of servers this spawner started or re-adopted through poll(). */
  onExit(listener: ExitListener): void;
  /** Out-of-memory kills inside running servers (typically a kernel), seen every poll_interval. */
  onOomKill?(listener: OomListener): void;
}

export { createLocalProcessSpawner, type LocalProcessSpawnerDeps } from './local-process-spawner.js';
