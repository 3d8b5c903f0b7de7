import { BulwarkError } from '../errors/index.js';
import type { Route } from './route-table.js';

/**
 * Errors that mean "the backend is not there (any more)": a stopped or restarting server. They are
 * normal operation for a proxy in front of servers that come and go, so they are logged as one line
 * without a stack (as configurable-http-proxy does) and answered 503.
 */
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
]);

export function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

export function isUnreachableError(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && unreachableCodes.has(code);
}

/**
 * The error shown to the client. It names the route prefix, not the target, so people never learn
 * which loopback port a server listens on; the log line has the target.
 */
export function toProxyError(err: unknown, route: Route): BulwarkError {
  const code = isUnreachableError(err) ? 'PROXY_UPSTREAM_UNREACHABLE' : 'PROXY_UPSTREAM_FAILED';
  return new BulwarkError(code, { target: route.prefix }, { cause: err });
}

/** Error raised when the backend takes longer than the proxy timeout to answer. */
export function timeoutError(timeoutMs: number): Error {
  return Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
}
