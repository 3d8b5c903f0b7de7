import { execFileSync } from 'node:child_process';
import { pipedExec } from '../../helpers/piped-exec.js';

/** Adds a `user` key to root's user keyring from memory (stdin pipe); returns a remover. */
export function addUserKey(description: string, payload: string | Buffer): { id: string; remove(): void } {
  const id = pipedExec('keyctl', ['padd', 'user', description, '@u'], payload).toString('utf8').trim();
  return {
    id,
    remove: () => {
      execFileSync('keyctl', ['unlink', id, '@u'], { stdio: 'pipe' });
    },
  };
}

export function requireKeyctl(): void {
  try {
    execFileSync('keyctl', ['--version'], { stdio: 'pipe' });
  } catch {
    throw new Error('install keyutils (scripts/setup.sh --test)');
  }
}
