import type { Server } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerFactory } from 'fastify';
import { BulwarkError } from '../errors/index.js';
import { securityHeadersByConnection } from '../web/index.js';
import { registerActivityRoute } from './api/activity-route.js';
import { createApiRegistry, type ApiRegistry } from './api/api-registry.js';
import { registerGroupRoutes } from './api/group-routes.js';
import { registerHubRoutes } from './api/hub-routes.js';
import { registerIdentityRoute } from './api/identity-route.js';
import { registerProxyRoutes } from './api/proxy-routes.js';
import { registerServerRoutes } from './api/server-routes.js';
import { registerServiceRoutes } from './api/service-routes.js';
import { createShareCodePurge } from './api/share-code-purge.js';
import { registerShareRoutes } from './api/share-routes.js';
import { registerSharedWithRoutes } from './api/shared-with-routes.js';
import { registerTokenRoutes } from './api/token-routes.js';
import { registerUsersRoutes } from './api/users-routes.js';
import { registerBodyParsers } from './body-parsers.js';
import { createAuthServices } from './auth/auth-services.js';
import { NativeAuthenticator } from './auth/native-authenticator.js';
import { createPasswordChecker } from './auth/password-checker.js';
import { registerPasswordApiRoute } from './auth/password-api-route.js';
import { createIdleCuller } from './culler/idle-culler.js';
import { createErrorHandler, sendError } from './error-handler.js';
import { JUPYTERHUB_COMPAT_VERSION, type HubDeps } from './hub-deps.js';
import { registerMetricsRoutes } from './metrics/metrics-routes.js';
import { registerOAuthRoutes } from './oauth/oauth-routes.js';
import { registerAccountPages } from './pages/account-pages.js';
import { registerAdminChannelPages } from './pages/admin-channel-page.js';
import { registerAdminPage } from './pages/admin-page.js';
import { registerAuthorizePage } from './pages/authorize-page.js';
import { registerHomePages } from './pages/home-pages.js';
import { registerLoginPages } from './pages/login-pages.js';
import { issueSetupLinkIfNeeded, registerSetupPage } from './pages/setup-page.js';
import { registerSignupPage } from './pages/signup-page.js';
import { registerStaticFiles } from './pages/static-files.js';
import { registerTokenPage } from './pages/token-page.js';
import { registerAcceptSharePage } from './pages/accept-share-page.js';
import { registerTwoFactorPage } from './pages/two-factor-page.js';
import { registerUserRedirect } from './pages/user-redirect.js';
import { createServiceSupervisor } from './services/service-supervisor.js';

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
    // Names in paths (users, groups, tokens) may be long; beyond this the router refuses them.
    routerOptions: { maxParamLength: 1024 },
    // Malformed percent-encoding and over-long parameters get the same JSON/HTML errors as the rest.
    frameworkErrors: (error, request, reply) =>
      sendError(request, reply, deps, new BulwarkError('HTTP_BAD_REQUEST', { detail: error.message })),
    ...(options.serverFactory ? { serverFactory: options.serverFactory } : {}),
  }) as unknown as FastifyInstance<Server>;
  registerBodyParsers(app, deps.paths);

  const headersFor = securityHeadersByConnection({ tls: deps.tls, hsts: deps.config.hub.tls });
  const hubHeaders = { 'X-JupyterHub-Version': JUPYTERHUB_COMPAT_VERSION, 'Access-Control-Allow-Headers': 'accept, content-type, authorization' };
  // headersFor hands out one of two fixed objects (TLS or plain); each is merged with ours once.
  const merged = new Map<Record<string, string>, Record<string, string>>();
  // A callback hook, not an async one: no promise per response on the hot path.
  app.addHook('onSend', (request, reply, payload, done) => {
    const security = headersFor(request.raw.socket);
    let all = merged.get(security);
    if (all === undefined) merged.set(security, (all = { ...security, ...hubHeaders }));
    reply.headers(all);
    done(null, payload);
  });
  app.setErrorHandler(createErrorHandler(deps));
  app.setNotFoundHandler(async (request, reply) => defaultRoute(request, reply, deps));

  const auth = createAuthServices(deps);
  const authenticator = new NativeAuthenticator(deps.config.authenticator, deps.users, deps.audit, auth, createPasswordChecker(deps), deps.logger);
  const api = createApiRegistry(app, deps.paths.api);
  registerApi(api, deps, authenticator);
  registerPasswordApiRoute(api, deps, authenticator);
  registerMetricsRoutes(app, api, deps);
  manageServices(app, deps);
  const culler = createIdleCuller(deps);
  app.addHook('onListen', async () => culler.start());
  app.addHook('onClose', async () => culler.stop());
  const shareCodePurge = createShareCodePurge(deps);
  app.addHook('onListen', async () => shareCodePurge.start());
  app.addHook('onClose', async () => shareCodePurge.stop());
  registerLoginPages(app, deps, authenticator, auth);
  registerSignupPage(app, deps, authenticator, auth);
  registerAccountPages(app, deps, authenticator, auth);
  registerTwoFactorPage(app, deps, authenticator, auth);
  registerSetupPage(app, deps, authenticator, auth);
  app.addHook('onListen', async () => void (await issueSetupLinkIfNeeded(deps, auth, publicUrlOf(app, deps))));
  registerHomePages(app, deps);
  registerAuthorizePage(app, deps, authenticator, auth);
  registerAdminPage(app, deps);
  registerAdminChannelPages(app, deps);
  registerTokenPage(app, deps);
  registerAcceptSharePage(app, deps);
  registerUserRedirect(app, deps);
  registerStaticFiles(app, deps);
  return app;
}

/** The listener's own URL, for links printed in the log. */
function publicUrlOf(app: FastifyInstance<Server>, deps: HubDeps): string {
  const address = app.server.address();
  if (!address || typeof address === 'string') return '';
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  return `${deps.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/** Service routes and OAuth clients before listening; managed services once the API URL is known. */
function manageServices(app: FastifyInstance<Server>, deps: HubDeps): void {
  const supervisor = createServiceSupervisor({ registry: deps.serviceRegistry, paths: deps.paths, logger: deps.logger });
  app.addHook('onReady', async () => deps.serviceRegistry.register());
  app.addHook('onListen', async () => {
    // The composition root knows the API URL (a loopback listener under TLS) once listen returns.
    const fromAddress = () => {
      const address = app.server.address();
      if (!address || typeof address === 'string') return '';
      const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
      return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}${deps.paths.api}`;
    };
    const started = Date.now();
    const startWhenKnown = () => {
      const url = deps.apiUrl?.() ?? fromAddress();
      if (url === '' && Date.now() - started < 10_000) return void setTimeout(startWhenKnown, 20).unref();
      supervisor.start(url || fromAddress());
    };
    startWhenKnown();
  });
  app.addHook('onClose', async () => supervisor.stop());
}

/** Every REST endpoint, each declared once in the registry (which the OpenAPI document reads). */
function registerApi(api: ApiRegistry, deps: HubDeps, authenticator: NativeAuthenticator): void {
  registerHubRoutes(api, deps);
  registerIdentityRoute(api, deps);
  registerUsersRoutes(api, deps);
  registerServerRoutes(api, deps);
  registerActivityRoute(api, deps);
  registerTokenRoutes(api, deps, authenticator);
  registerGroupRoutes(api, deps);
  registerServiceRoutes(api, deps);
  registerShareRoutes(api, deps);
  registerSharedWithRoutes(api, deps);
  registerProxyRoutes(api, deps);
  registerOAuthRoutes(api, deps);
}

/**
 * Paths outside /hub/ with no proxy route: `/user/<name>/...` of a stopped server goes to the hub
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
