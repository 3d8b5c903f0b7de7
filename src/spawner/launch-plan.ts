import type { PasswdEntry } from './passwd-entry.js';
import { identitySwitchArgs, setprivPath } from './identity-switch.js';

/** How a memory limit is attached to the process at launch; see memory-limiter.ts. */
export type MemoryEnforcement =
  | { kind: 'cgroup'; procsFile: string }
  | { kind: 'prlimit'; bytes: number };

export interface LaunchPlan {
  file: string;
  args: string[];
}

export const prlimitPath = '/usr/bin/prlimit';

/**
 * The argv that starts a server: [cgroup joiner] -> [prlimit] -> setpriv -> the command. Every wrapper
 * execs the next, so the pid node sees is the server's own pid from start to end.
 */
export function buildLaunchPlan(input: {
  account: Pick<PasswdEntry, 'name' | 'gid'>;
  commandPath: string;
  commandArgs: readonly string[];
  memory: MemoryEnforcement | null;
  /** Further cgroup.procs files to join (cpu, pids). */
  cgroupProcsFiles?: readonly string[];
  /** Further prlimit options, e.g. --nproc=256. */
  prlimitArgs?: readonly string[];
}): LaunchPlan {
  const memory = input.memory;
  const procsFiles = [...(memory?.kind === 'cgroup' ? [memory.procsFile] : []), ...(input.cgroupProcsFiles ?? [])];
  const prlimit = [...(memory?.kind === 'prlimit' ? [`--as=${memory.bytes}`] : []), ...(input.prlimitArgs ?? [])];
  const asUser = [setprivPath, ...identitySwitchArgs(input.account), input.commandPath, ...input.commandArgs];
  const limited = prlimit.length === 0 ? asUser : [prlimitPath, ...prlimit, '--', ...asUser];
  if (procsFiles.length === 0) {
    const [file, ...args] = limited as [string, ...string[]];
    return { file, args };
  }
  // Only root may move a process into a cgroup here, so the shell joins it while still root and
  // then execs on; the paths travel as arguments ($0, "$@"), never spliced into the script.
  if (procsFiles.length === 1) return { file: '/bin/sh', args: ['-c', 'echo $$ > "$0" && exec "$@"', procsFiles[0] ?? '', ...limited] };
  return {
    file: '/bin/sh',
    args: ['-c', 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 1; shift; done; shift; exec "$@"', 'bulwark-limits', ...procsFiles, '--', ...limited],
  };
}
