import type { ExternalRouteTable, SyncResult } from './external-route-table.js';

export interface RouteSync {
  /** Runs a check now (after the one in progress, if any). */
  runNow(): Promise<SyncResult>;
  stop(): void;
}

/**
 * Reconciles `table` with its proxy every `intervalSeconds`, as JupyterHub's check_routes does: a
 * restarted proxy gets every route back within one interval. Checks never overlap.
 */
export function startRouteSync(table: Pick<ExternalRouteTable, 'sync'>, intervalSeconds: number): RouteSync {
  let running: Promise<SyncResult> | undefined;
  const runNow = (): Promise<SyncResult> => {
    if (running !== undefined) return running.then(() => runNow());
    running = table.sync().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (running === undefined) void runNow();
  }, intervalSeconds * 1000);
  timer.unref();
  return {
    runNow,
    stop: () => clearInterval(timer),
  };
}
