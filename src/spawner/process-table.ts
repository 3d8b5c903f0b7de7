import { readdir, readFile } from 'node:fs/promises';

/** The fields of /proc/<pid>/stat and /proc/<pid>/status the spawner needs to find and judge a process. */
export interface ProcessInfo {
  pid: number;
  /** One letter: R, S, D, Z (zombie), T... */
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  /** Clock ticks since boot; with the pid it names one process even after pid reuse. */
  startTime: number;
  /** Real uid. */
  uid: number;
}

export type ProcStat = Omit<ProcessInfo, 'uid'>;

/**
 * Parses /proc/<pid>/stat. The command name sits in parentheses and may itself contain spaces and
 * parentheses, so fields are counted from the last ')'.
 */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  // After ')': state(3) ppid(4) pgrp(5) session(6) ... starttime(22); index 0 here is field 3.
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const state = rest[0];
  const numbers = [rest[1], rest[2], rest[3], rest[19]].map(Number);
  const [ppid, pgid, sid, startTime] = numbers as [number, number, number, number];
  if (state === undefined || !Number.isInteger(pid) || numbers.some((n) => !Number.isInteger(n))) return null;
  return { pid, state, ppid, pgid, sid, startTime };
}

/** Reads the real uid from /proc/<pid>/status (the `Uid:` line lists real, effective, saved, fs). */
export function parseRealUid(statusText: string): number | null {
  const match = /^Uid:\s+(\d+)/m.exec(statusText);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** One process, or null when it does not exist (or vanished while being read). */
export async function readProcess(pid: number): Promise<ProcessInfo | null> {
  try {
    const [statText, statusText] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/status`, 'utf8'),
    ]);
    const stat = parseProcStat(statText);
    const uid = parseRealUid(statusText);
    return stat === null || uid === null ? null : { ...stat, uid };
  } catch {
    return null;
  }
}

/** A snapshot of every process visible in /proc. Processes that exit while it is taken are left out. */
export async function listProcesses(): Promise<ProcessInfo[]> {
  const entries = await readdir('/proc');
  const pids = entries.filter((name) => /^\d+$/.test(name)).map(Number);
  const found = await Promise.all(pids.map(readProcess));
  return found.filter((info): info is ProcessInfo => info !== null);
}

/** True when `info` is a process that has not exited (zombies have exited; only their parent's wait is missing). */
export function isLive(info: ProcessInfo | null): info is ProcessInfo {
  return info !== null && info.state !== 'Z' && info.state !== 'X';
}
