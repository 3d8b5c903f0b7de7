import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

export type CommandLookup = { path: string } | { problem: string };

/**
 * Turns spawner.cmd[0] into an absolute path before anything is launched, so a missing command is
 * reported as such instead of as an exec failure inside setpriv. Bare names are searched on the
 * servers' PATH (never the hub's); relative paths with a slash are refused because their meaning
 * would depend on the hub's working directory.
 */
export async function locateCommand(command: string, searchPath: string): Promise<CommandLookup> {
  if (command.length === 0) return { problem: 'is empty' };
  if (command.includes('/')) {
    if (!isAbsolute(command)) return { problem: 'is a relative path; use an absolute path or a bare name' };
    return checkCandidate(command);
  }
  for (const dir of searchPath.split(':')) {
    if (!isAbsolute(dir)) continue;
    const candidate = join(dir, command);
    const found = await checkCandidate(candidate);
    if ('path' in found) return found;
  }
  return { problem: `was not found on PATH ${searchPath}` };
}

async function checkCandidate(path: string): Promise<CommandLookup> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return { problem: 'does not exist' };
  }
  if (!info.isFile()) return { problem: 'is not a regular file' };
  // Whether the *user* may run it is checked separately, as that user; here only "runnable at all".
  if ((info.mode & 0o111) === 0) return { problem: 'has no execute permission bit set' };
  return { path };
}
