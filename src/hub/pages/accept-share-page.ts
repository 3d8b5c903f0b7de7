import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { html } from '../../web/index.js';
import type { ShareCodeRecord } from '../api/share-code-store.js';
import type { HubDeps } from '../hub-deps.js';
import { checkXsrf, clientIp, xsrfToken } from '../request-context.js';
import { page } from './layout.js';
import { pageUser } from './require-login.js';

type Form = Record<string, string | undefined>;

async function liveCode(deps: HubDeps, code: string | undefined, use: boolean): Promise<ShareCodeRecord> {
  const codes = deps.shares?.codes;
  const now = new Date().toISOString();
  const found = codes && code ? await (use ? codes.exchange(code, now) : codes.find(code, now)) : undefined;
  if (!found) throw new BulwarkError('HUB_SHARE_CODE_INVALID');
  return found;
}

/**
 * `/hub/accept-share?code=...` (JupyterHub 5): a logged-in user sees which server a share code
 * opens and with which permissions, and accepts it with a POST (XSRF-checked); the code becomes
 * a share for that user and the browser goes on to the server.
 */
export function registerAcceptSharePage(app: FastifyInstance, deps: HubDeps): void {
  const path = deps.paths.hubUrl('accept-share');

  app.get<{ Querystring: { code?: string } }>(path, async (request: FastifyRequest<{ Querystring: { code?: string } }>, reply: FastifyReply) => {
    const identity = await pageUser(request, reply, deps);
    if (!identity) return reply;
    const code = await liveCode(deps, request.query.code, false);
    if (code.ownerId === identity.user.id) throw new BulwarkError('HUB_SHARE_OWN_SERVER');
    const url = deps.paths.userServer(code.ownerName, code.serverName);
    const body = html`<section class="card" id="accept-share">
      <h1>Accept sharing invitation</h1>
      <p><strong id="share-owner">${code.ownerName}</strong> has invited you to access their server at <code id="share-url">${url}</code>.</p>
      <p>You will be granted:</p>
      <ul id="share-scopes">${code.scopes.map((scope) => html`<li><code>${scope}</code></li>`)}</ul>
      <form method="post" action="${path}" id="accept-share-form">
        <input type="hidden" name="_xsrf" value="${xsrfToken(request, reply, deps)}">
        <input type="hidden" name="code" value="${request.query.code ?? ''}">
        <button type="submit" id="accept-share-btn">Accept invitation</button>
      </form>
    </section>`;
    return reply.type('text/html').send(page({ title: 'Accept sharing invitation', paths: deps.paths, user: identity.user, body }));
  });

  app.post<{ Body: Form }>(path, async (request, reply) => {
    const identity = await pageUser(request, reply, deps);
    if (!identity) return reply;
    checkXsrf(request, deps);
    const peek = await liveCode(deps, request.body?.['code'], false);
    if (peek.ownerId === identity.user.id) throw new BulwarkError('HUB_SHARE_OWN_SERVER');
    const code = await liveCode(deps, request.body?.['code'], true);
    await deps.shares?.grant(code.serverId, { kind: 'user', id: identity.user.id }, code.scopes, new Date().toISOString());
    await deps.audit.record(
      { name: identity.user.name, ip: clientIp(request) },
      { action: 'share.code.accept', target: `${code.ownerName}/${code.serverName}`, detail: { id: code.id, scopes: code.scopes } },
    );
    return reply.redirect(deps.paths.userServer(code.ownerName, code.serverName), 303);
  });
}
