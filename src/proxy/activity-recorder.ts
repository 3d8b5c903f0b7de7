import type { Route } from './route-table.js';

export interface ActivityRecorder {
  /** Notes traffic on `route`; updates `route.lastActivity` and calls the listener at most once per interval. */
  record(route: Route): void;
}

export interface ActivityRecorderOptions {
  onActivity?: (route: Route) => void;
  /** Minimum time between two recordings for one route; WebSocket traffic can be many frames a millisecond. */
  intervalMs?: number;
  now?: () => number;
}

export function createActivityRecorder(options: ActivityRecorderOptions = {}): ActivityRecorder {
  const intervalMs = options.intervalMs ?? 1000;
  const now = options.now ?? Date.now;
  // Keyed by the route object, so a removed route's entry goes away with it.
  const lastRecorded = new WeakMap<Route, number>();
  return {
    record(route) {
      const t = now();
      const last = lastRecorded.get(route);
      if (last !== undefined && t - last < intervalMs) return;
      lastRecorded.set(route, t);
      route.lastActivity = new Date(t);
      options.onActivity?.(route);
    },
  };
}
