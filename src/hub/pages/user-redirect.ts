import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { grants, type User } from '../../identity/index.js';
import { html } from '../../web/index.js';
import type { HubDeps } from '../hub-deps.js';
import { page } from './layout.js';
import { pageUser } from './require-login.js';

/** JupyterHub's redirect-loop limit (user_redirect_limit). */
const REDIRECT_LIMIT = 4;

function looksLikeApi(request: FastifyRequest, path: string): boolean {
  const accept = request.headers.accept ?? '';
  const prefersJson = accept.includes('application/json') && !accept.includes('text/html');
  return prefersJson || path.split('/').includes('api');
}

/** With named servers, `/hub/user/<name>/<server>/...` names one of the user's servers. */
async function splitServer(deps: HubDeps, owner: User | undefined, rest: string): Promise<{ serverName: string; rest: string }> {
  const slash = rest.indexOf('/');
  let first = slash === -1 ? rest : rest.slice(0, slash);
  try {
    first = decodeURIComponent(first);
  } catch {
    return { serverName: '', rest }; // not a server name; the path goes to the default server
  }
  if (!owner || !deps.config.hub.allow_named_servers || first === '') return { serverName: '', rest };
  const known = deps.servers.view(owner, first) !== undefined || (await deps.servers.namedServers(owner)).includes(first);
  return known ? { serverName: first, rest: slash === -1 ? '' : rest.slice(slash + 1) } : { serverName: '', rest };
}

/**
 * `/hub/user/<name>/<path>`: where the proxy sends requests for a server that has no route.
 * A running server gets the request back (loop-protected); a stopped one gets a page (or 424
 * JSON for API calls) with a link to start it - never an implicit spawn.
 */
export function registerUserRedirect(app: FastifyInstance, deps: HubDeps): void {
  const paths = deps.paths;
  const handler = async (request: FastifyRequest<{ Params: { name: string; '*': string }; Querystring: Record<string, string> }>, reply: FastifyReply) => {
    const name = request.params.name;
    const owner = await deps.users.get(name);
    const { serverName, rest } = await splitServer(deps, owner, request.params['*'] ?? '');
    const serverPath = `${paths.userServer(name, serverName)}${rest}`;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      throw new BulwarkError('HUB_SERVER_NOT_RUNNING', { path: serverPath, spawn_url: paths.hubUrl(`spawn/${name}`) });
    }
    const identity = await pageUser(request, reply, deps);
    if (!identity) return reply;
    if (!owner || !grants(identity.scopes, 'access:servers', { user: name, server: `${name}/${serverName}` })) {
      throw new BulwarkError('HUB_NOT_FOUND_OR_NO_ACCESS');
    }
    const view = deps.servers.view(owner, serverName);
    const query = new URLSearchParams(request.query);
    if (view?.ready) {
      const redirects = Number(query.get('redirects') ?? '0');
      if (redirects >= REDIRECT_LIMIT) throw new BulwarkError('HUB_REDIRECT_LOOP');
      if (redirects > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** redirects, 10) * 1000));
      query.set('redirects', String(redirects + 1));
      return reply.redirect(`${serverPath}?${query.toString()}`, 302);
    }
    const spawnUrl = `${paths.hubUrl(`spawn/${encodeURIComponent(name)}`)}?next=${encodeURIComponent(request.url)}`;
    if (looksLikeApi(request, rest)) {
      throw new BulwarkError('HUB_SERVER_NOT_RUNNING', { path: serverPath, spawn_url: spawnUrl });
    }
    if (view?.pending === 'spawn' || view?.failure) {
      return reply.redirect(`${paths.hubUrl(`spawn-pending/${encodeURIComponent(name)}`)}?next=${encodeURIComponent(request.url)}`, 303);
    }
    return reply
      .code(424)
      .type('text/html')
      .send(
        page({
          title: 'Server not running',
          paths,
          user: identity.user,
          body: html`<section class="card"><h1>Server not running</h1>
            <p id="message">The server at ${serverPath} is not running.</p>
            <a class="button" id="launch" href="${spawnUrl}">Launch server</a></section>`,
        }),
      );
  };
  app.route({ method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], url: paths.hubUrl('user/:name/*'), handler });
  app.get<{ Params: { name: string } }>(paths.hubUrl('user/:name'), async (request, reply) =>
    reply.redirect(paths.hubUrl(`user/${encodeURIComponent(request.params.name)}/`), 301),
  );
}
