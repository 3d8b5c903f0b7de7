import type { ServerState } from '../../spawner/spawner.js';

export type PendingAction = 'spawn' | 'stop' | null;

/** What the REST API and pages show of one server (JupyterHub's server model, before scoping). */
export interface ServerView {
  name: string;
  pending: PendingAction;
  ready: boolean;
  url: string;
  started: string | null;
  lastActivity: string | null;
  userOptions: Record<string, unknown>;
  failure: string | null;
  /** A limit hit while running, e.g. a kernel killed by the memory limit; null when none. */
  notice: string | null;
  state: ServerState | null;
}
