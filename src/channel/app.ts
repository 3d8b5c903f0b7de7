import type { Server } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyServerFactory } from 'fastify';
import { BulwarkError } from '../errors/index.js';
import { securityHeadersByConnection } from '../web/index.js';
import type { ChannelDeps } from './channel-deps.js';
import { createErrorHandler, sendError } from './error-handler.js';
import { registerFileRoutes } from './files/file-routes.js';
import { registerPackagePages } from './pages/package-pages.js';
import { registerStylesheet } from './pages/stylesheet.js';
import { registerReleaseRoutes } from './releases/release-routes.js';
import { registerSimpleRoutes } from './simple-api/simple-routes.js';
import { registerUploadRoutes } from './upload/upload-routes.js';

export interface BuildChannelAppOptions {
  /** Lets a composition root serve the channel from a listener it owns (e.g. the hub's). */
  serverFactory?: FastifyServerFactory;
}

/**
 * Builds the package channel's HTTP app (Simple API, files, uploads, pages) without listening.
 * Every route lives under `deps.paths.base`, so the same app can stand alone or be mounted at
 * /channel/ behind the hub's public listener.
 */
export async function buildChannelApp(deps: ChannelDeps, options: BuildChannelAppOptions = {}): Promise<FastifyInstance<Server>> {
  const app = Fastify({
    logger: false,
    trustProxy: false,
    // Wheel file names routinely exceed Fastify's default of 100 characters per parameter.
    routerOptions: { maxParamLength: 512 },
    ...(options.serverFactory ? { serverFactory: options.serverFactory } : {}),
  }) as unknown as FastifyInstance<Server>;

  const headersFor = securityHeadersByConnection({ tls: deps.tls, hsts: deps.config.tls });
  app.addHook('onSend', async (request, reply, payload) => {
    for (const [name, value] of Object.entries(headersFor(request.raw.socket))) reply.header(name, value);
    return payload;
  });
  app.setErrorHandler(createErrorHandler(deps));
  app.setNotFoundHandler(async (request, reply) => sendError(request, reply, deps, new BulwarkError('HTTP_NOT_FOUND')));

  registerSimpleRoutes(app, deps);
  registerFileRoutes(app, deps);
  registerUploadRoutes(app, deps);
  registerPackagePages(app, deps);
  registerStylesheet(app, deps);
  registerReleaseRoutes(app, deps);
  return app;
}
