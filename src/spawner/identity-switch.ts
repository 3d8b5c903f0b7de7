import { execFile } from 'node:child_process';
import type { PasswdEntry } from './passwd-entry.js';

/** util-linux setpriv: switches uid and gid and loads the supplementary groups, then execs. */
export const setprivPath = '/usr/bin/setpriv';

/**
 * setpriv arguments that turn root into `account`. The account is given by NAME to --reuid on
 * purpose: --init-groups loads the groups of that name, whereas a bare uid would load the groups
 * of whichever account getpwuid() returns first. (Node's spawn({uid,gid}) is not used because it
 * drops every supplementary group.)
 */
export function identitySwitchArgs(account: Pick<PasswdEntry, 'name' | 'gid'>): string[] {
  // A hub that runs unprivileged with ambient CAP_SETUID/CAP_SETGID/CAP_KILL would otherwise hand
  // them on: a switch between two non-zero uids keeps ambient capabilities. Dropping the inheritable
  // and ambient sets leaves the server with none (root hubs lose them in the switch anyway).
  return ['--reuid', account.name, '--regid', String(account.gid), '--init-groups', '--inh-caps=-all', '--ambient-caps=-all', '--'];
}

/**
 * Asks the kernel, as the account itself, whether it may execute `path` (permission bits, groups,
 * ACLs, directory search rights and noexec mounts all count), which a root-side stat cannot tell.
 */
export function canExecuteAs(account: Pick<PasswdEntry, 'name' | 'gid'>, path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    execFile(
      setprivPath,
      [...identitySwitchArgs(account), '/usr/bin/test', '-x', path],
      { env: { PATH: '/usr/bin:/bin' }, timeout: 10_000 },
      (error) => {
        if (error === null) resolve(true);
        else if (error.code === 1) resolve(false);
        else reject(error);
      },
    );
  });
}
