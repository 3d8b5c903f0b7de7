import type { Entry } from './server-entry.js';
import type { ServerManagerDeps } from './server-manager-deps.js';

/**
 * What the lifecycle stages (start, stop, exits, restore, views) share. The maps live here, not
 * in any one stage, because each is written by one stage and read or cleared by others.
 */
export interface ServerContext {
  readonly deps: ServerManagerDeps;
  /** Active servers by entryKey(); a server leaves when it stops (a failed spawn stays until stop()). */
  readonly entries: Map<string, Entry>;
  /** Why servers stopped, when the spawner could tell; kept until the next start. */
  readonly stopReasons: Map<string, string>;
}

/** The active entry whose process has this pid, if any (spawner events name processes, not users). */
export function entryByPid(context: ServerContext, pid: number): Entry | undefined {
  return [...context.entries.values()].find((entry) => entry.state?.pid === pid);
}
