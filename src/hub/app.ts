import type { Server } from 'node:http';
import formBody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerFactory } from 'fastify';
import { BulwarkError } from '../errors/index.js';
import { securityHeaders } from '../web/index.js';
import { registerIdentityRoute } from './api/identity-route.js';
import { registerInfoRoutes } from './api/info-routes.js';
import { registerUserRoutes } from './api/user-routes.js';
import { NativeAuthenticator } from './auth/native-authenticator.js';
import { createErrorHandler, sendError } from './error-handler.js';
import { JUPYTERHUB_COMPAT_VERSION, type HubDeps } from './hub-deps.js';
import { registerOAuthRoutes } from './oauth/oauth-routes.js';
import { registerAuthorizePage } from './pages/authorize-page.js';
import { registerHomePages } from './pages/home-pages.js';
import { registerLoginPages } from './pages/login-pages.js';
import { registerStaticFiles } from './pages/static-files.js';
import { registerUserRedirect } from './pages/user-redirect.js';

export interface BuildHubAppOptions {
  /** Lets the composition root put the proxy in front of Fastify on the same listener. */
  serverFactory?: FastifyServerFactory;
}

/**
 * Builds the hub's HTTP app (pages, REST API, OAuth provider) without listening. Requests that
 * reach it outside /hub/ are those the proxy had no route for: users' stopped servers and stray
 * paths, answered as JupyterHub's default route does.
 */
export async function buildHubApp(deps: HubDeps, options: BuildHubAppOptions = {}): Promise<FastifyInstance<Server>> {
  const app = Fastify({
    logger: false,
    trustProxy: false,
    bodyLimit: 1024 * 1024,
    ...(options.serverFactory ? { serverFactory: options.serverFactory } : {}),
  }) as unknown as FastifyInstance<Server>;
  await app.register(formBody);
  // Single-user servers and scripts POST with a JSON content type and sometimes no body at all.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(new BulwarkError('HTTP_BAD_REQUEST', { detail: 'body is not valid JSON' }), undefined);
    }
  });
  app.addContentTypeParser(['application/csp-report', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const headers = securityHeaders({ tls: deps.tls });
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    reply.header('X-JupyterHub-Version', JUPYTERHUB_COMPAT_VERSION);
    return payload;
  });
  app.setErrorHandler(createErrorHandler(deps));
  app.setNotFoundHandler(async (request, reply) => defaultRoute(request, reply, deps));

  const authenticator = new NativeAuthenticator(deps.config.authenticator, deps.users, deps.audit);
  registerInfoRoutes(app, deps);
  registerIdentityRoute(app, deps);
  registerUserRoutes(app, deps);
  registerOAuthRoutes(app, deps);
  registerLoginPages(app, deps, authenticator);
  registerHomePages(app, deps);
  registerAuthorizePage(app, deps);
  registerUserRedirect(app, deps);
  registerStaticFiles(app, deps);
  return app;
}

/**
 * Paths outside /hub/ with no proxy route: `/user/<name>/…` of a stopped server goes to the hub
 * (GET) or gets 424 (other methods); `/` and other GETs go under /hub/; the rest is a 404.
 */
async function defaultRoute(request: FastifyRequest, reply: FastifyReply, deps: HubDeps) {
  const { paths } = deps;
  const url = request.url;
  if (!url.startsWith(paths.hub) && url.startsWith(paths.base)) {
    const rest = url.slice(paths.base.length);
    if (rest.startsWith('user/') && request.method !== 'GET' && request.method !== 'HEAD') {
      return sendError(request, reply, deps, new BulwarkError('HUB_SERVER_NOT_RUNNING', { path: url.split('?')[0] ?? url, spawn_url: paths.hubUrl('spawn') }));
    }
    if (request.method === 'GET' || request.method === 'HEAD') return reply.redirect(`${paths.hub}${rest}`, 302);
    return sendError(request, reply, deps, new BulwarkError('HTTP_METHOD_NOT_ALLOWED', { method: request.method }));
  }
  return sendError(request, reply, deps, new BulwarkError('HTTP_NOT_FOUND'));
}
