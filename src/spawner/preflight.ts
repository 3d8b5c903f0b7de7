import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { BulwarkError } from '../errors/index.js';
import { locateCommand } from './command-path.js';
import { canExecuteAs, setprivPath } from './identity-switch.js';
import { osUsernameProblem } from './os-username.js';
import { lookupPasswd, type PasswdEntry } from './passwd-entry.js';
import { expandNotebookDir } from './path-templates.js';
import { serverSearchPath } from './server-environment.js';
import type { SpawnerConfig } from './spawner.js';

export interface PreflightResult {
  account: PasswdEntry;
  /** The server's cwd: the expanded notebook_dir, or the home directory. */
  workingDir: string;
  /** JUPYTERHUB_ROOT_DIR, set only when notebook_dir is configured. */
  rootDir: string | null;
  commandPath: string;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Everything that can be known to be wrong before a process exists, checked in the order an
 * administrator would fix it. Each failure is its own SPAWNER_* code naming the user.
 */
export async function runPreflight(
  username: string,
  config: Pick<SpawnerConfig, 'cmd' | 'notebook_dir' | 'min_uid'>,
  serverName = '',
): Promise<PreflightResult> {
  const nameProblem = osUsernameProblem(username);
  if (nameProblem !== null) {
    throw new BulwarkError('SPAWNER_INVALID_USERNAME', { name: JSON.stringify(username), reason: nameProblem });
  }
  const account = await lookupAccount(username);
  await checkIdentity(account, config.min_uid);
  await checkHome(account);
  const { workingDir, rootDir } = await resolveWorkingDir(account, config.notebook_dir, serverName);
  const commandPath = await resolveCommand(account, config.cmd[0] ?? '');
  return { account, workingDir, rootDir, commandPath };
}

async function lookupAccount(name: string): Promise<PasswdEntry> {
  let account: PasswdEntry | null;
  try {
    account = await lookupPasswd(name);
  } catch (error) {
    throw new BulwarkError('SPAWNER_ACCOUNT_LOOKUP_FAILED', { name, reason: reasonOf(error) }, { cause: error });
  }
  if (account === null) throw new BulwarkError('SPAWNER_NO_OS_ACCOUNT', { name });
  return account;
}

async function checkIdentity(account: PasswdEntry, minUid: number): Promise<void> {
  const { name, uid } = account;
  if (uid === 0) throw new BulwarkError('SPAWNER_ROOT_REFUSED', { name });
  if (uid < minUid) throw new BulwarkError('SPAWNER_UID_TOO_LOW', { name, uid, minUid });
  // A second account with the same uid would own this server's processes and files too.
  let byUid: PasswdEntry | null;
  try {
    byUid = await lookupPasswd(uid);
  } catch (error) {
    throw new BulwarkError('SPAWNER_ACCOUNT_LOOKUP_FAILED', { name, reason: reasonOf(error) }, { cause: error });
  }
  if (byUid !== null && byUid.name !== name) {
    throw new BulwarkError('SPAWNER_UID_SHARED', { name, uid, other: byUid.name });
  }
}

async function checkHome(account: PasswdEntry): Promise<void> {
  const { name, uid, home } = account;
  if (!isAbsolute(home)) throw new BulwarkError('SPAWNER_HOME_MISSING', { name, home: JSON.stringify(home), reason: 'is not an absolute path' });
  let info;
  try {
    info = await stat(home);
  } catch {
    throw new BulwarkError('SPAWNER_HOME_MISSING', { name, home, reason: 'does not exist' });
  }
  if (!info.isDirectory()) throw new BulwarkError('SPAWNER_HOME_MISSING', { name, home, reason: 'is not a directory' });
  if (info.uid !== uid) throw new BulwarkError('SPAWNER_HOME_NOT_OWNED', { name, home, owner: info.uid, uid });
  if ((info.mode & 0o002) !== 0) {
    const mode = (info.mode & 0o7777).toString(8).padStart(4, '0');
    throw new BulwarkError('SPAWNER_HOME_WORLD_WRITABLE', { name, home, mode });
  }
}

async function resolveWorkingDir(
  account: PasswdEntry,
  notebookDir: string | null,
  serverName: string,
): Promise<{ workingDir: string; rootDir: string | null }> {
  if (notebookDir === null || notebookDir === '') return { workingDir: account.home, rootDir: null };
  const path = expandNotebookDir(notebookDir, account, serverName);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new BulwarkError('SPAWNER_NOTEBOOK_DIR_MISSING', { name: account.name, path, reason: 'does not exist' });
  }
  if (!info.isDirectory()) {
    throw new BulwarkError('SPAWNER_NOTEBOOK_DIR_MISSING', { name: account.name, path, reason: 'is not a directory' });
  }
  return { workingDir: path, rootDir: path };
}

async function resolveCommand(account: PasswdEntry, command: string): Promise<string> {
  const found = await locateCommand(command, serverSearchPath);
  if ('problem' in found) {
    throw new BulwarkError('SPAWNER_CMD_NOT_FOUND', { name: account.name, command: JSON.stringify(command), reason: found.problem });
  }
  let allowed: boolean;
  try {
    allowed = await canExecuteAs(account, found.path);
  } catch (error) {
    throw new BulwarkError(
      'SPAWNER_LAUNCH_FAILED',
      { name: account.name, command: setprivPath, reason: reasonOf(error) },
      { cause: error },
    );
  }
  if (!allowed) throw new BulwarkError('SPAWNER_CMD_NOT_EXECUTABLE', { name: account.name, command: found.path });
  return found.path;
}
