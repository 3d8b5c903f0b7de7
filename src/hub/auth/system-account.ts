import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BulwarkError } from '../../errors/index.js';

const run = promisify(execFile);

/** Whether an OS account of this name exists (getent looks at every NSS source). */
export async function osAccountExists(name: string): Promise<boolean> {
  try {
    await run('getent', ['passwd', name]);
    return true;
  } catch {
    return false;
  }
}

/**
 * authenticator.native.create_system_users: a home directory and a user-private group, as
 * JupyterHub's LocalAuthenticator does with `adduser`. The name was already checked to be a valid
 * OS account name. Needs root.
 */
export async function ensureOsAccount(name: string): Promise<'created' | 'exists'> {
  if (await osAccountExists(name)) return 'exists';
  try {
    await run('useradd', ['--create-home', '--user-group', '--shell', '/bin/bash', name]);
  } catch (error) {
    const reason = error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr).trim() : String(error);
    throw new BulwarkError('HUB_SYSTEM_USER_FAILED', { name, reason });
  }
  return 'created';
}
