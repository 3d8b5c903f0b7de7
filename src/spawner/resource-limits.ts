import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { BulwarkError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { makeControllerCgroup, type ControllerCgroup } from './controller-limit.js';
import { prlimitPath } from './launch-plan.js';
import { parseMemLimit } from './mem-limit.js';
import { cgroupPrefix, prepareMemoryLimit, readOwnCgroupDirs, type MemoryLimit } from './memory-limiter.js';
import type { AppliedLimit, ServerLimits, SpawnerConfig } from './spawner.js';

/** Everything the launch needs to put a server under its limits, and the way to undo it. */
export interface PreparedLimits {
  applied: ServerLimits;
  memory: MemoryLimit | null;
  /** cgroup.procs files the launcher joins as root, besides the memory one. */
  procsFiles: string[];
  /** Extra prlimit options (e.g. --nproc=...), besides the memory one. */
  prlimitArgs: string[];
  release(): Promise<void>;
}

/** cfs period: 100 ms, the kernel default; the quota is cores x period. */
const cpuPeriodUs = 100_000;

/**
 * Prepares spawner.mem_limit, cpu_limit and pids_limit for one server: a cgroup per controller (v2
 * where the controller is delegated, v1 otherwise), prlimit where a cgroup is impossible and an
 * rlimit means something (RLIMIT_AS for memory, RLIMIT_NPROC for processes; CPU has no rate rlimit,
 * so a cpu_limit without a cpu controller fails the start). Returns null when no limit is set.
 */
export async function prepareLimits(
  config: Pick<SpawnerConfig, 'mem_limit' | 'cpu_limit' | 'pids_limit'>,
  username: string,
  logger: Logger,
): Promise<PreparedLimits | null> {
  const cpu = config.cpu_limit ?? null;
  const pids = config.pids_limit ?? null;
  if (config.mem_limit === null && cpu === null && pids === null) return null;
  const releases: Array<() => Promise<void>> = [];
  const release = async (): Promise<void> => {
    for (const undo of releases.reverse()) await undo();
  };
  const prepared: PreparedLimits = { applied: {}, memory: null, procsFiles: [], prlimitArgs: [], release };
  try {
    if (config.mem_limit !== null) {
      const memory = await prepareMemoryLimit(parseMemLimit(config.mem_limit), username, logger);
      releases.push(() => memory.release());
      prepared.memory = memory;
      prepared.applied.memory = { value: config.mem_limit, mechanism: memory.mechanism, cgroup: memory.cgroupDir };
    }
    const dirs = await readOwnCgroupDirs();
    const name = `${cgroupPrefix}${username}-${randomBytes(4).toString('hex')}`;
    const attach = (cgroup: ControllerCgroup, value: string): AppliedLimit => {
      releases.push(() => cgroup.release());
      prepared.procsFiles.push(cgroup.procsFile);
      return { value, mechanism: cgroup.mechanism, cgroup: cgroup.dir };
    };
    if (cpu !== null) {
      const quota = String(Math.max(1000, Math.round(cpu * cpuPeriodUs)));
      const cgroup = await makeControllerCgroup(
        dirs,
        name,
        { controller: 'cpu', v2: { 'cpu.max': `${quota} ${cpuPeriodUs}` }, v1: { 'cpu.cfs_period_us': String(cpuPeriodUs), 'cpu.cfs_quota_us': quota } },
        logger,
      ).catch((error: unknown) => {
        throw new BulwarkError('SPAWNER_LIMIT_UNAVAILABLE', { name: username, key: 'cpu_limit', reason: String(error) });
      });
      prepared.applied.cpu = attach(cgroup, String(cpu));
    }
    if (pids !== null) {
      const cgroup = await makeControllerCgroup(dirs, name, { controller: 'pids', v2: { 'pids.max': String(pids) }, v1: { 'pids.max': String(pids) } }, logger).catch(
        async (error: unknown) => {
          // RLIMIT_NPROC counts every process of the account, not just this server's: weaker, but real.
          const usable = await access(prlimitPath, constants.X_OK).then(() => true, () => false);
          if (!usable) throw new BulwarkError('SPAWNER_LIMIT_UNAVAILABLE', { name: username, key: 'pids_limit', reason: `${String(error)}; no ${prlimitPath}` });
          return null;
        },
      );
      if (cgroup === null) {
        prepared.prlimitArgs.push(`--nproc=${pids}`);
        prepared.applied.pids = { value: String(pids), mechanism: 'prlimit', cgroup: null };
      } else {
        prepared.applied.pids = attach(cgroup, String(pids));
      }
    }
    return prepared;
  } catch (error) {
    await release();
    throw error;
  }
}
