import type { Route } from './route-table.js';

/** A route as configurable-http-proxy's API shows it: the stored data, `target` and `last_activity`. */
export type ChpRouteJson = Record<string, unknown> & { target: string; last_activity: string };

/**
 * The API path of a route. Path routes keep their prefix; a host route (`host.example/x`) is shown
 * the way CHP stores it with --host-routing, as `/host.example/x`.
 */
export function routeApiPath(prefix: string): string {
  return prefix.startsWith('/') ? prefix : `/${prefix}`;
}

export function routeToJson(route: Route): ChpRouteJson {
  return { ...route.data, target: route.target, last_activity: route.lastActivity.toISOString() };
}

/** The body of GET /api/routes: API path -> route, optionally only routes idle since `inactiveSince`. */
export function routesToJson(routes: readonly Route[], inactiveSince?: Date): Record<string, ChpRouteJson> {
  const result: Record<string, ChpRouteJson> = {};
  for (const route of routes) {
    if (inactiveSince !== undefined && route.lastActivity >= inactiveSince) continue;
    result[routeApiPath(route.prefix)] = routeToJson(route);
  }
  return result;
}
