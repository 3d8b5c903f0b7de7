import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { BulwarkError } from '../errors/index.js';
import { toCatalogError } from '../web/index.js';
import type { ChannelDeps } from './channel-deps.js';
import { messagePage } from './pages/layout.js';


/** Browsers get a page; pip, twine and scripts get `{status, code, message}` JSON. */
function wantsPage(request: FastifyRequest, deps: ChannelDeps): boolean {
  if (request.url.startsWith(deps.paths.legacy) || request.method === 'POST') return false;
  return /\btext\/html\b(?!;\s*q=0(?:\.0+)?\b)/.test(request.headers.accept ?? '') && !(request.headers.accept ?? '').includes('pypi.simple');
}

/**
 * twine shows the HTTP reason phrase of a failed upload (PyPI puts its message there), so the
 * message goes there too, reduced to what a status line may carry.
 */
function reasonPhrase(message: string): string {
  return message.replace(/[^\x20-\x7e]/g, '?').slice(0, 300);
}

export function sendError(request: FastifyRequest, reply: FastifyReply, deps: ChannelDeps, error: BulwarkError): FastifyReply {
  reply.code(error.status);
  reply.raw.statusMessage = reasonPhrase(error.message);
  reply.header('Cache-Control', 'no-store');
  if (error.status === 401) reply.header('WWW-Authenticate', 'Basic realm="bulwark channel", charset="UTF-8"');
  if (wantsPage(request, deps)) {
    return reply.type('text/html; charset=utf-8').send(messagePage({ title: `${error.status} \u2014 ${error.code}`, message: error.message, paths: deps.paths }));
  }
  return reply.type('application/json; charset=utf-8').send(error.toJSON());
}

export function createErrorHandler(deps: ChannelDeps) {
  return (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = toCatalogError(error);
    if (mapped.status >= 500) deps.logger.error({ err: error, url: request.url, reqId: request.id }, 'channel request failed');
    else deps.logger.debug({ code: mapped.code, url: request.url }, 'channel request refused');
    return sendError(request, reply, deps, mapped);
  };
}
