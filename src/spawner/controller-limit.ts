import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/logger.js';
import type { CgroupDirs } from './cgroup-paths.js';
import { removeCgroup } from './cgroup-removal.js';

/** A cgroup made for one limit of one server. */
export interface ControllerCgroup {
  mechanism: 'cgroup-v1' | 'cgroup-v2';
  dir: string;
  procsFile: string;
  release(): Promise<void>;
}

/** What to write for one controller, per cgroup version. */
export interface ControllerWrites {
  controller: 'cpu' | 'pids';
  v2: Record<string, string>;
  v1: Record<string, string>;
}

/**
 * Makes a cgroup named `name` for one controller, v2 first when the parent delegates that controller
 * (cgroup.subtree_control), else under the v1 hierarchy of the controller. Throws with the reasons
 * when neither works.
 */
export async function makeControllerCgroup(dirs: CgroupDirs, name: string, writes: ControllerWrites, logger: Logger): Promise<ControllerCgroup> {
  const reasons: string[] = [];
  if (dirs.v2 !== null) {
    const delegated = (await readFile(join(dirs.v2, 'cgroup.subtree_control'), 'utf8').catch(() => '')).split(/\s+/);
    if (delegated.includes(writes.controller)) {
      try {
        return await makeWith('cgroup-v2', join(dirs.v2, name), writes.v2, logger);
      } catch (error) {
        reasons.push(`cgroup-v2: ${String(error)}`);
      }
    } else {
      reasons.push(`cgroup-v2: ${writes.controller} controller not enabled in ${dirs.v2}/cgroup.subtree_control`);
    }
  }
  const v1 = writes.controller === 'cpu' ? dirs.v1Cpu : dirs.v1Pids;
  if (v1 !== undefined && v1 !== null) {
    try {
      return await makeWith('cgroup-v1', join(v1, name), writes.v1, logger);
    } catch (error) {
      reasons.push(`cgroup-v1: ${String(error)}`);
    }
  } else {
    reasons.push(`cgroup-v1: no ${writes.controller} hierarchy`);
  }
  throw new Error(reasons.join('; '));
}

async function makeWith(mechanism: ControllerCgroup['mechanism'], dir: string, files: Record<string, string>, logger: Logger): Promise<ControllerCgroup> {
  await mkdir(dir);
  const release = (): Promise<void> => removeCgroup(dir, logger);
  try {
    for (const [file, value] of Object.entries(files)) await writeFile(join(dir, file), value);
  } catch (error) {
    await release();
    throw error;
  }
  return { mechanism, dir, procsFile: join(dir, 'cgroup.procs'), release };
}
