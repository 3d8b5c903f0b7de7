import { isAbsolute, normalize, resolve } from 'node:path';

/** Replaces every `{username}`, as JupyterHub's format_string does for notebook_dir and default_url. */
export function expandUsername(template: string, username: string): string {
  return template.replaceAll('{username}', username);
}

/**
 * Turns spawner.notebook_dir into an absolute directory: `{username}` and `{servername}` expand, a
 * leading `~` is the home directory, and a relative path is taken from the home directory (where
 * the server starts).
 */
export function expandNotebookDir(template: string, account: { name: string; home: string }, serverName = ''): string {
  const expanded = expandUsername(template, account.name).replaceAll('{servername}', serverName);
  if (expanded === '~') return normalize(account.home);
  if (expanded.startsWith('~/')) return resolve(account.home, expanded.slice(2));
  if (isAbsolute(expanded)) return normalize(expanded);
  return resolve(account.home, expanded);
}
