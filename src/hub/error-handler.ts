import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { BulwarkError } from '../errors/index.js';
import { toCatalogError } from '../web/index.js';
import type { HubDeps } from './hub-deps.js';
import { messagePage } from './pages/layout.js';

/** API clients get JSON; browsers asking for HTML get a page. Paths under /hub/api are always API. */
export function wantsJson(request: FastifyRequest, deps: HubDeps): boolean {
  const accept = request.headers.accept ?? '';
  // The OAuth authorize endpoint lives under /hub/api but is a page browsers navigate to.
  const browserPage = request.url.startsWith(`${deps.paths.api}/oauth2/authorize`) && accept.includes('text/html');
  if (request.url.startsWith(deps.paths.api) && !browserPage) return true;
  return !accept.includes('text/html');
}


export function sendError(request: FastifyRequest, reply: FastifyReply, deps: HubDeps, error: BulwarkError): FastifyReply {
  reply.code(error.status);
  if (wantsJson(request, deps)) return reply.type('application/json').send(error.toJSON());
  return reply.type('text/html').send(messagePage({ title: `${error.status} \u2014 ${error.code}`, message: error.message, paths: deps.paths }));
}

export function createErrorHandler(deps: HubDeps) {
  return (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = toCatalogError(error);
    if (mapped.status >= 500) deps.logger.error({ err: error, url: request.url, reqId: request.id }, 'request failed');
    else deps.logger.debug({ code: mapped.code, url: request.url }, 'request refused');
    return sendError(request, reply, deps, mapped);
  };
}
