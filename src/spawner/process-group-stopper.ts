import type { Logger } from '../log/logger.js';
import { isLive, listProcesses, readProcess, type ProcessInfo } from './process-table.js';

export interface StopTimeouts {
  interruptMs: number;
  termMs: number;
  killMs: number;
}

export interface StopTarget {
  /** The server's pid; it leads its own session and process group (spawned detached). */
  pid: number;
  uid: number;
  /**
   * True for a child of this hub process: its pid cannot have been recycled, and for an instant
   * after launch it still runs as root (the memory wrapper), so its uid is not checked.
   */
  ownChild: boolean;
  /** For a server this process did not start: its start time in clock ticks; a different one is a reused pid. */
  startTime?: number;
}

const pollMs = 100;
/** Walking all of /proc is not free on a busy host, so descendants are re-read at most this often. */
const trackEveryMs = 1000;
/** How long leftovers (processes that left the group, such as kernels) get after SIGTERM. */
const leftoverGraceMs = 2000;

/**
 * Stops a server and everything it started: SIGINT, SIGTERM, SIGKILL to its process group with
 * waits in between, as JupyterHub does. Jupyter kernels run in sessions of their own, so the
 * server's descendants are recorded while it lives and any that outlive it are killed too; only
 * processes with the server's uid are touched, and each is recognised by pid + start time so a
 * recycled pid is never hit. Resolves true when nothing is left.
 */
export async function stopProcessGroup(target: StopTarget, timeouts: StopTimeouts, logger: Logger): Promise<boolean> {
  const tracked = new Map<number, number>();
  const steps: [NodeJS.Signals, number][] = [
    ['SIGINT', timeouts.interruptMs],
    ['SIGTERM', timeouts.termMs],
    ['SIGKILL', timeouts.killMs],
  ];
  // A dead or foreign pid of a re-adopted server is left alone: its group id may belong to someone else.
  if (!target.ownChild && !(await isServerAlive(target))) return true;
  for (const [signal, waitMs] of steps) {
    if (!(await isServerAlive(target))) break;
    await track(target, tracked);
    let trackedAt = Date.now();
    logger.debug({ pid: target.pid, signal }, 'signalling server process group');
    signalGroup(target.pid, signal);
    await waitUntil(async () => {
      const alive = await isServerAlive(target);
      if (alive && Date.now() - trackedAt >= trackEveryMs) {
        await track(target, tracked);
        trackedAt = Date.now();
      }
      return !alive;
    }, waitMs);
  }
  if (await isServerAlive(target)) {
    logger.warn({ pid: target.pid }, 'server process never died');
    return false;
  }
  // Members of the group that outlived the leader are still reachable through the group id.
  signalGroup(target.pid, 'SIGKILL');
  return killLeftovers(target, tracked, timeouts.killMs, logger);
}

/** Whether the server process still runs (a zombie does not count). */
export async function isServerAlive(target: StopTarget): Promise<boolean> {
  const info = await readProcess(target.pid);
  // A re-adopted pid must still be our server: same uid, same start time, leader of its own session.
  if (!isLive(info)) return false;
  if (target.ownChild) return true;
  return info.uid === target.uid && info.sid === target.pid && (target.startTime === undefined || info.startTime === target.startTime);
}

/** Adds the leader's descendants and session members (same uid) to `tracked`, keyed pid -> start time. */
async function track(target: StopTarget, tracked: Map<number, number>): Promise<void> {
  const table = await listProcesses();
  const children = new Map<number, ProcessInfo[]>();
  for (const info of table) {
    const siblings = children.get(info.ppid) ?? [];
    siblings.push(info);
    children.set(info.ppid, siblings);
  }
  const queue = [target.pid];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const pid = queue.shift();
    if (pid === undefined || seen.has(pid)) continue;
    seen.add(pid);
    for (const child of children.get(pid) ?? []) {
      if (child.uid === target.uid) tracked.set(child.pid, child.startTime);
      queue.push(child.pid);
    }
  }
  for (const info of table) {
    if (info.sid === target.pid && info.uid === target.uid && info.pid !== target.pid) tracked.set(info.pid, info.startTime);
  }
}

async function killLeftovers(
  target: StopTarget,
  tracked: Map<number, number>,
  killMs: number,
  logger: Logger,
): Promise<boolean> {
  const alive = async (): Promise<number[]> => {
    const found: number[] = [];
    for (const [pid, startTime] of tracked) {
      const info = await readProcess(pid);
      if (isLive(info) && info.startTime === startTime && info.uid === target.uid) found.push(pid);
    }
    return found;
  };
  let left = await alive();
  if (left.length === 0) return true;
  logger.info({ pid: target.pid, leftovers: left }, 'terminating processes the server left behind');
  for (const pid of left) signalProcess(pid, 'SIGTERM');
  await waitUntil(async () => (left = await alive()).length === 0, leftoverGraceMs);
  for (const pid of left) signalProcess(pid, 'SIGKILL');
  await waitUntil(async () => (left = await alive()).length === 0, killMs);
  if (left.length > 0) logger.warn({ pid: target.pid, leftovers: left }, 'processes of the server never died');
  return left.length === 0;
}

/** SIGKILL to every process still in the group `pgid`; callers must know the group is theirs. */
export function killProcessGroup(pgid: number): void {
  signalGroup(pgid, 'SIGKILL');
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already empty, which is the goal.
  }
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone between the check and the signal.
  }
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(deadline - Date.now(), 1))));
  }
}
