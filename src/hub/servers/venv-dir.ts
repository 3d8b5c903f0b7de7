import { isAbsolute, normalize } from 'node:path';
import { BulwarkError } from '../../errors/index.js';

/** A release name as one safe path segment. */
function segment(value: string): string {
  const safe = value.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '.' || safe === '..' ? '_' : safe;
}

/**
 * spawner.venv_dir for one person: `~` is the home directory, `{username}` and `{release}` expand.
 * The result must lie inside the home directory: the venv is made and owned by the person.
 */
export function expandVenvDir(template: string, account: { name: string; home: string }, release: string): string {
  const expanded = template.replace(/^~(?=\/|$)/, account.home).replaceAll('{username}', segment(account.name)).replaceAll('{release}', segment(release));
  const path = normalize(expanded).replace(/\/+$/, '');
  const home = normalize(account.home).replace(/\/+$/, '');
  if (!isAbsolute(path) || !path.startsWith(`${home}/`)) {
    throw new BulwarkError('CONFIG_INVALID', { detail: `spawner.venv_dir: ${path} is not inside ${account.name}'s home directory ${home}` });
  }
  return path;
}
