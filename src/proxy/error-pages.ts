import { readFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { BulwarkError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { loggablePath } from './forward-context.js';
import { writeProxyError } from './proxy-error-response.js';

export interface ErrorPageOptions {
  /** CHP's --error-target: pages come from `GET <url>/<status>?url=<request url>` (JupyterHub's /hub/error). */
  errorTarget?: string;
  /** CHP's --error-path: `<dir>/<status>.html`, else `<dir>/error.html`. */
  errorPath?: string;
  logger: Logger;
}

/** Answers a request the proxy could not forward (404 no route, 503 backend down, ...). */
export type ErrorPageResponder = (req: IncomingMessage, res: ServerResponse, error: BulwarkError) => void;

function fetchErrorPage(errorTarget: URL, status: number, req: IncomingMessage, res: ServerResponse, fallback: (err: Error) => void): void {
  const url = new URL(errorTarget);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.pathname += String(status);
  url.searchParams.set('url', req.url ?? '/');
  const send = url.protocol === 'https:' ? https.get : http.get;
  const errorRequest = send(url, (page) => {
    if (res.writableEnded || res.headersSent) {
      page.resume();
      return;
    }
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    for (const name of ['content-type', 'content-encoding'] as const) {
      const value = page.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    res.writeHead(status, headers);
    page.pipe(res);
  });
  errorRequest.setTimeout(10_000, () => errorRequest.destroy(new Error('error page request timed out')));
  errorRequest.on('error', fallback);
}

async function readErrorFile(dir: string, status: number): Promise<Buffer | undefined> {
  for (const name of [`${status}.html`, 'error.html']) {
    try {
      return await readFile(join(dir, name));
    } catch {
      // Try the next name.
    }
  }
  return undefined;
}

/**
 * The error answer of the standalone proxy, in CHP's order of precedence: the error target's page,
 * else a file from the error directory, else Bulwark's own small HTML or JSON answer. The status is
 * always the proxy's, whatever the error server answered.
 */
export function createErrorPages(options: ErrorPageOptions): ErrorPageResponder {
  const target = options.errorTarget === undefined ? undefined : new URL(options.errorTarget);
  const { logger } = options;
  return (req, res, error) => {
    const fallback = (): void => writeProxyError(req, res, error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (target !== undefined) {
      fetchErrorPage(target, error.status, req, res, (err: Error) => {
        logger.error({ err, status: error.status, path: loggablePath(req) }, 'could not fetch the error page from the error target');
        if (!res.headersSent) fallback();
        else res.destroy();
      });
      return;
    }
    if (options.errorPath !== undefined) {
      readErrorFile(options.errorPath, error.status).then(
        (page) => {
          if (page === undefined || res.writableEnded) return fallback();
          res.writeHead(error.status, { 'content-type': 'text/html', 'content-length': page.length, 'cache-control': 'no-store' });
          res.end(page);
        },
        fallback,
      );
      return;
    }
    fallback();
  };
}

/** The 404 of a request no route covers. */
export function noRouteError(req: IncomingMessage): BulwarkError {
  return new BulwarkError('PROXY_NO_ROUTE', { path: loggablePath(req) });
}
