import { readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/logger.js';

/** Kills every process left in the cgroup, then removes it (rmdir fails while members remain). */
export async function removeCgroup(dir: string, logger: Logger): Promise<void> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const members = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => ''))
      .split('\n')
      .filter((line) => /^\d+$/.test(line))
      .map(Number);
    for (const pid of members) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    try {
      await rmdir(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      if (Date.now() >= deadline) {
        logger.warn({ cgroup: dir, err: error }, 'could not remove cgroup');
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
