import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BulwarkError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { findCgroupDirs } from './cgroup-paths.js';
import { removeCgroup } from './cgroup-removal.js';
import { prlimitPath, type MemoryEnforcement } from './launch-plan.js';

export type MemoryMechanism = 'cgroup-v1' | 'cgroup-v2' | 'prlimit';

export interface MemoryLimit {
  mechanism: MemoryMechanism;
  enforcement: MemoryEnforcement;
  /** The cgroup directory, when one was made. */
  cgroupDir: string | null;
  /** Kills whatever is still in the cgroup and removes it; nothing to do for prlimit. */
  release(): Promise<void>;
}

/** Prefix of every cgroup the spawner creates, so one found on a re-adopted server is recognisable. */
export const cgroupPrefix = 'bulwark-';
const defaultOrder: MemoryMechanism[] = ['cgroup-v1', 'cgroup-v2', 'prlimit'];

/**
 * Prepares a memory limit for one server, trying a cgroup v1 memory controller, then cgroup v2
 * memory.max, then prlimit --as (address space only, a much weaker limit). A cgroup counts what the
 * server and its kernels really use and lets the kernel OOM-kill inside it.
 */
export async function prepareMemoryLimit(
  bytes: number,
  username: string,
  logger: Logger,
  order: readonly MemoryMechanism[] = defaultOrder,
): Promise<MemoryLimit> {
  const reasons: string[] = [];
  const dirs = await readOwnCgroupDirs();
  const name = `${cgroupPrefix}${username}-${randomBytes(4).toString('hex')}`;
  for (const mechanism of order) {
    try {
      if (mechanism === 'cgroup-v1') {
        if (dirs.v1Memory === null) throw new Error('no cgroup v1 memory hierarchy');
        return await makeCgroup('cgroup-v1', join(dirs.v1Memory, name), bytes, logger);
      }
      if (mechanism === 'cgroup-v2') {
        if (dirs.v2 === null) throw new Error('no cgroup v2 hierarchy');
        // memory.max only exists in a child when the parent hands the controller down.
        const delegated = (await readFile(join(dirs.v2, 'cgroup.subtree_control'), 'utf8')).split(/\s+/);
        if (!delegated.includes('memory')) throw new Error(`memory controller not enabled in ${dirs.v2}/cgroup.subtree_control`);
        return await makeCgroup('cgroup-v2', join(dirs.v2, name), bytes, logger);
      }
      await access(prlimitPath, constants.X_OK);
      return { mechanism, enforcement: { kind: 'prlimit', bytes }, cgroupDir: null, release: async () => {} };
    } catch (error) {
      reasons.push(`${mechanism}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new BulwarkError('SPAWNER_MEM_LIMIT_UNAVAILABLE', { name: username, reason: reasons.join('; ') });
}

export async function readOwnCgroupDirs(): Promise<ReturnType<typeof findCgroupDirs>> {
  try {
    const [cgroup, mountinfo] = await Promise.all([
      readFile('/proc/self/cgroup', 'utf8'),
      readFile('/proc/self/mountinfo', 'utf8'),
    ]);
    return findCgroupDirs(cgroup, mountinfo);
  } catch {
    return { v1Memory: null, v2: null };
  }
}

async function makeCgroup(mechanism: 'cgroup-v1' | 'cgroup-v2', dir: string, bytes: number, logger: Logger): Promise<MemoryLimit> {
  await mkdir(dir);
  const release = (): Promise<void> => removeCgroup(dir, logger);
  try {
    if (mechanism === 'cgroup-v1') {
      await writeFile(join(dir, 'memory.limit_in_bytes'), String(bytes));
      // Without swap accounting the limit could be dodged by swapping; absent on many hosts.
      await writeFile(join(dir, 'memory.memsw.limit_in_bytes'), String(bytes)).catch(() => {});
    } else {
      await writeFile(join(dir, 'memory.max'), String(bytes));
      await writeFile(join(dir, 'memory.swap.max'), '0').catch(() => {});
    }
  } catch (error) {
    await release();
    throw error;
  }
  return { mechanism, enforcement: { kind: 'cgroup', procsFile: join(dir, 'cgroup.procs') }, cgroupDir: dir, release };
}

/**
 * The release step for a server this hub process did not start (re-adopted from the database):
 * its memory cgroup is found through /proc/<pid>/cgroup and removed if the spawner made it.
 */
export async function findServerCgroupRelease(pid: number, logger: Logger): Promise<(() => Promise<void>) | null> {
  let processCgroup: string;
  let mountinfo: string;
  try {
    [processCgroup, mountinfo] = await Promise.all([
      readFile(`/proc/${pid}/cgroup`, 'utf8'),
      readFile('/proc/self/mountinfo', 'utf8'),
    ]);
  } catch {
    return null;
  }
  const dirs = findCgroupDirs(processCgroup, mountinfo);
  const dir = [dirs.v1Memory, dirs.v2].find((d) => d !== null && basename(d).startsWith(cgroupPrefix));
  return dir === undefined || dir === null ? null : () => removeCgroup(dir, logger);
}
