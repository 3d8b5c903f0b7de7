import type { Agent, IncomingMessage, ServerResponse } from 'node:http';
import type { BulwarkError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { ActivityRecorder } from './activity-recorder.js';
import type { RedirectRewriteOptions } from './redirect-rewrite.js';
import type { Route } from './route-table.js';
import type { UpstreamPool } from './upstream-pool.js';
import type { UpstreamTarget } from './upstream-target.js';

/** Anything the forwarder keeps open and must be able to tear down on close(). */
export interface Destroyable {
  destroy(): void;
}

/** What the HTTP and upgrade forwarders share; built once by createForwarder. */
export interface ForwardContext {
  logger: Logger;
  /** Idle time allowed while waiting for the backend (0 = no limit). */
  timeoutMs: number;
  activity: ActivityRecorder;
  removeCookies: ReadonlySet<string>;
  /** Append X-Forwarded-* (false with CHP's --no-x-forward). */
  xForwarded: boolean;
  /** Headers added to every forwarded request; undefined when there are none. */
  customHeaders: readonly (readonly [string, string])[] | undefined;
  /** The names of customHeaders, for the fast path's one-pass head builder; undefined when there are none. */
  customHeaderNames: ReadonlySet<string> | undefined;
  /** Send the target's host:port as Host (CHP's --change-origin). */
  changeOrigin: boolean;
  /** Location rewriting of redirects; undefined when off (the default). */
  redirects: RedirectRewriteOptions | undefined;
  target(route: Route): UpstreamTarget;
  /** Raw keep-alive connections for the fast path (body-less requests to http backends). */
  pool: UpstreamPool;
  /** Keep-alive agent for ordinary requests. */
  agent(target: UpstreamTarget): Agent;
  /** Agent without keep-alive for upgrades: the socket leaves the pool for good once upgraded. */
  upgradeAgent(target: UpstreamTarget): Agent;
  errorResponse(req: IncomingMessage, res: ServerResponse, err: BulwarkError): void;
  /** Open requests and sockets; entries remove themselves when they close. */
  live: Set<Destroyable>;
}

/** Adds `item` to the live set until it emits 'close'. */
export function trackUntilClosed(
  live: Set<Destroyable>,
  item: Destroyable & { once(event: 'close', listener: () => void): unknown },
): void {
  live.add(item);
  item.once('close', () => live.delete(item));
}

/** The request path without its query string, which may carry a token and must not reach the log. */
export function loggablePath(req: IncomingMessage): string {
  return withoutQuery(req.url ?? '');
}

/** `url` without its query string (see loggablePath). */
export function withoutQuery(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
