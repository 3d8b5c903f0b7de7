import { lstat, realpath, rm } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import { lookupPasswd } from './passwd-entry.js';
import { expandNotebookDir } from './path-templates.js';

export type CleanupOutcome = { removed: string } | { refused: string; path: string | null };

/**
 * Why `path` must not be deleted as a server's notebook directory, or null when it may. Refused:
 * an empty or relative path, `/`, the home directory or anything above it, and a directory shared
 * by every server of the user (a template without {servername}). The caller still checks symlinks
 * and ownership on disk.
 */
export function notebookDirRefusal(path: string, home: string, template: string | null): string | null {
  if (template === null || template.trim() === '') return 'spawner.notebook_dir is not set (the server runs in the home directory)';
  if (!template.includes('{servername}')) return 'spawner.notebook_dir has no {servername}, so every server of the user shares it';
  if (path === '' || !path.startsWith('/')) return 'the path is empty or relative';
  if (path === '/' || dirname(path) === path) return 'the path is the root directory';
  const fromHome = relative(path, home);
  if (fromHome === '' || (!fromHome.startsWith('..') && !fromHome.startsWith(sep))) return 'the path is the home directory or contains it';
  return null;
}

/**
 * spawner.cleanup_notebook_dir_on_delete: removes a named server's notebook directory after the
 * server is removed. Never follows or deletes a symlink, never deletes a directory the account does
 * not own, and reports what it did or why it refused instead of throwing.
 */
export async function cleanupNotebookDir(template: string | null, username: string, serverName: string): Promise<CleanupOutcome> {
  const account = await lookupPasswd(username).catch(() => null);
  if (account === null) return { refused: `no OS account named ${username}`, path: null };
  if (serverName === '') return { refused: 'the default server keeps its directory', path: null };
  const path = template === null ? '' : expandNotebookDir(template, account, serverName);
  const refusal = notebookDirRefusal(path, account.home, template);
  if (refusal !== null) return { refused: refusal, path };
  const info = await lstat(path).catch(() => null);
  if (info === null) return { refused: 'the directory does not exist', path };
  if (info.isSymbolicLink()) return { refused: 'the path is a symlink', path };
  if (!info.isDirectory()) return { refused: 'the path is not a directory', path };
  if (info.uid !== account.uid) return { refused: `the directory is not owned by ${username}`, path };
  // A symlinked parent could point the path at someone else's tree: judge the real location too.
  const real = await realpath(path);
  const realRefusal = notebookDirRefusal(real, await realpath(account.home).catch(() => account.home), template);
  if (realRefusal !== null) return { refused: `its real path ${real}: ${realRefusal}`, path };
  await rm(real, { recursive: true, force: true });
  return { removed: real };
}
