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
 * The argv that starts a server: [memory wrapper] → setpriv → the command. Every wrapper execs the
 * next, so the pid node sees is the server's own pid from start to end.
 */
export function buildLaunchPlan(input: {
  account: Pick<PasswdEntry, 'name' | 'gid'>;
  commandPath: string;
  commandArgs: readonly string[];
  memory: MemoryEnforcement | null;
}): LaunchPlan {
  const asUser = [setprivPath, ...identitySwitchArgs(input.account), input.commandPath, ...input.commandArgs];
  const memory = input.memory;
  if (memory === null) {
    const [file, ...args] = asUser as [string, ...string[]];
    return { file, args };
  }
  if (memory.kind === 'prlimit') {
    return { file: prlimitPath, args: [`--as=${memory.bytes}`, '--', ...asUser] };
  }
  // Only root may move a process into a cgroup here, so the shell joins it while still root and
  // then execs setpriv; the paths travel as arguments ($0, "$@"), never spliced into the script.
  return { file: '/bin/sh', args: ['-c', 'echo $$ > "$0" && exec "$@"', memory.procsFile, ...asUser] };
}
