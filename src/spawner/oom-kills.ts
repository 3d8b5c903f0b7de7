import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppliedLimit } from './spawner.js';

/** Parses the `oom_kill N` line of v1 memory.oom_control or v2 memory.events. */
export function parseOomKills(text: string): number {
  const match = /^oom_kill\s+(\d+)$/m.exec(text);
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

/**
 * How many processes the kernel has killed in the server's memory cgroup for exceeding its limit;
 * 0 without a memory cgroup (prlimit makes allocations fail instead) or once the cgroup is gone.
 */
export async function readOomKills(memory: AppliedLimit | undefined): Promise<number> {
  if (memory === undefined || memory.cgroup === null) return 0;
  const file = memory.mechanism === 'cgroup-v2' ? 'memory.events' : 'memory.oom_control';
  const text = await readFile(join(memory.cgroup, file), 'utf8').catch(() => '');
  return parseOomKills(text);
}

/** The sentence users see for a server stopped by its memory limit. */
export function memoryLimitReason(memory: AppliedLimit): string {
  return `stopped: memory limit (${memory.value}) exceeded`;
}
