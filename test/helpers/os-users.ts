import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { listProcesses } from '../../src/spawner/process-table.js';

const run = promisify(execFile);

/** A throwaway Linux account for tests that need real identities. */
export interface OsUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  /** Every group id the account belongs to, primary first. */
  groups: number[];
  /** The extra group made for it (options.supplementaryGroup), if any. */
  supplementaryGroup: { name: string; gid: number } | null;
  password?: string;
}

export interface CreateOsUserOptions {
  /** Also create a group and add the account to it, to check that supplementary groups survive. */
  supplementaryGroup?: boolean;
  /** Leave the home directory uncreated (it is still named in /etc/passwd). */
  noHome?: boolean;
  uid?: number;
  /** Give the account a random password (returned in the result). */
  password?: boolean;
}

function randomName(): string {
  // 'bwt' + 10 base-36 characters: 13 characters, lower case, always a valid account name.
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(10);
  return `bwt${[...bytes].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

export async function createOsUser(options: CreateOsUserOptions = {}): Promise<OsUser> {
  const name = randomName();
  let supplementaryGroup: OsUser['supplementaryGroup'] = null;
  if (options.supplementaryGroup) {
    const groupName = `${name}g`;
    await run('/usr/sbin/groupadd', [groupName]);
    const { stdout } = await run('/usr/bin/getent', ['group', groupName]);
    supplementaryGroup = { name: groupName, gid: Number(stdout.split(':')[2]) };
  }
  const args = ['--shell', '/bin/bash', '--home-dir', `/home/${name}`, options.noHome ? '--no-create-home' : '--create-home'];
  if (supplementaryGroup !== null) args.push('--groups', supplementaryGroup.name);
  if (options.uid !== undefined) args.push('--uid', String(options.uid));
  try {
    await run('/usr/sbin/useradd', [...args, name]);
  } catch (error) {
    if (supplementaryGroup !== null) await run('/usr/sbin/groupdel', [supplementaryGroup.name]).catch(() => {});
    throw error;
  }
  const { stdout: passwdLine } = await run('/usr/bin/getent', ['passwd', name]);
  const fields = passwdLine.trim().split(':');
  const { stdout: groupIds } = await run('/usr/bin/id', ['-G', name]);
  const user: OsUser = {
    name,
    uid: Number(fields[2]),
    gid: Number(fields[3]),
    home: fields[5] ?? `/home/${name}`,
    groups: groupIds.trim().split(/\s+/).map(Number),
    supplementaryGroup,
  };
  if (options.password) {
    user.password = randomBytes(12).toString('base64url');
    const child = execFile('/usr/sbin/chpasswd');
    child.stdin?.end(`${name}:${user.password}\n`);
    await new Promise<void>((resolve, reject) =>
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`chpasswd exited ${code}`)))),
    );
  }
  return user;
}

/** Pids of live (non-zombie) processes whose real uid is `uid`; empty means no orphans. */
export async function pidsOfUid(uid: number): Promise<number[]> {
  return (await listProcesses()).filter((p) => p.uid === uid && p.state !== 'Z').map((p) => p.pid);
}

/** Kills whatever still runs as the account, then deletes it, its home and its extra group. */
export async function removeOsUser(user: OsUser): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const pids = await pidsOfUid(user.uid);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // userdel exits non-zero for harmless things (no mail spool); success is checked with getent.
  await run('/usr/sbin/userdel', ['--remove', user.name]).catch(() => {});
  const stillThere = await run('/usr/bin/getent', ['passwd', user.name]).then(() => true, () => false);
  if (stillThere) throw new Error(`could not delete test account ${user.name}`);
  // userdel keeps a home that a test handed to another owner; the helper made it, so it goes too.
  if (user.home === `/home/${user.name}`) await rm(user.home, { recursive: true, force: true });
  if (user.supplementaryGroup !== null) await run('/usr/sbin/groupdel', [user.supplementaryGroup.name]).catch(() => {});
}

/** Anything that runs a function when a test or suite ends: a TestContext, or `{ after }` from node:test. */
export interface CleanupRegistrar {
  after(fn: () => Promise<void>): void;
}

/** Creates an account that is removed when the test (or suite) ends, pass or fail. */
export async function withOsUser(t: CleanupRegistrar, options: CreateOsUserOptions = {}): Promise<OsUser> {
  const user = await createOsUser(options);
  t.after(() => removeOsUser(user));
  return user;
}
