import type { FastifyInstance } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { grants, type User } from '../../identity/index.js';
import { html } from '../../web/index.js';
import type { HubDeps } from '../hub-deps.js';
import { safeNextUrl } from '../paths.js';
import { checkXsrf, clientIp, xsrfToken } from '../request-context.js';
import { page } from './layout.js';
import { namedServersSection } from './named-servers-section.js';
import { packageChannelNote } from './package-channel-note.js';
import { pageUser } from './require-login.js';

interface SpawnParams {
  name?: string;
}

function spawnPendingUrl(deps: HubDeps, user: string, next: string | undefined): string {
  const base = deps.paths.hubUrl(`spawn-pending/${encodeURIComponent(user)}`);
  return next ? `${base}?next=${encodeURIComponent(next)}` : base;
}

export function registerHomePages(app: FastifyInstance, deps: HubDeps): void {
  const paths = deps.paths;

  app.get(paths.hub, async (request, reply) => {
    const identity = await pageUser(request, reply, deps);
    if (!identity) return reply;
    const view = deps.servers.view(identity.user);
    return reply.redirect(view?.ready ? paths.userServer(identity.user.name) : paths.hubUrl('home'), 302);
  });
  app.get(paths.hub.slice(0, -1), async (_request, reply) => reply.redirect(paths.hub, 301));

  app.get(paths.hubUrl('home'), async (request, reply) => {
    const identity = await pageUser(request, reply, deps);
    if (!identity) return reply;
    const user = identity.user;
    const view = deps.servers.view(user);
    const xsrf = xsrfToken(request, reply, deps);
    const serverUrl = paths.userServer(user.name);
    let controls;
    const stopReason = deps.servers.stopReason(user);
    const named = await namedServersSection(deps, user, xsrf);
    if (view?.ready) {
      controls = html`<p>Your server is running.</p>${view.notice ? html`<p class="error" id="limit-notice">${view.notice}</p>` : ''}
        <a class="button" id="open" href="${serverUrl}">My server</a>
        <button type="button" class="danger" id="stop" data-url="${paths.api}/users/${encodeURIComponent(user.name)}/server" data-xsrf="${xsrf}">Stop my server</button>`;
    } else if (view?.pending === 'spawn') {
      controls = html`<p>Your server is starting.</p><a class="button" id="pending" href="${spawnPendingUrl(deps, user.name, undefined)}">Follow its progress</a>`;
    } else {
      controls = html`${view?.failure ? html`<p class="error" id="last-failure">The last start failed: ${view.failure}</p>` : ''}
        ${stopReason !== null ? html`<p class="error" id="stop-reason">Your server ${stopReason}.</p>` : ''}
        <form method="post" action="${paths.hubUrl('spawn')}" id="start-form">
          <input type="hidden" name="_xsrf" value="${xsrf}">
          <button type="submit" id="start">Start my server</button>
        </form>`;
    }
    return reply.type('text/html').send(
      page({
        title: 'Home',
        paths,
        user,
        scripts: ['home.js', 'named-servers.js'],
        body: html`<section class="card"><h1>Your notebook server</h1>${controls}${packageChannelNote(deps)}<p class="error" id="home-error"></p></section>${named}`,
      }),
    );
  });

  /** The spawn page never starts a server on GET (no state change without POST + XSRF); it offers a button. */
  app.get<{ Params: SpawnParams; Querystring: { next?: string } }>(`${paths.hubUrl('spawn')}/:name?`, async (request, reply) => {
    const identity = await pageUser(request, reply, deps);
    if (!identity) return reply;
    const target = await spawnTarget(deps, identity.user, identity.scopes, request.params.name);
    const view = deps.servers.view(target);
    const next = safeNextUrl(request.query.next, paths);
    if (view?.ready) return reply.redirect(next ?? paths.userServer(target.name), 302);
    if (view?.pending === 'spawn') return reply.redirect(spawnPendingUrl(deps, target.name, next), 302);
    const action = `${paths.hubUrl(`spawn/${encodeURIComponent(target.name)}`)}${next ? `?next=${encodeURIComponent(next)}` : ''}`;
    return reply.type('text/html').send(
      page({
        title: 'Start server',
        paths,
        user: identity.user,
        body: html`<section class="card"><h1>Start ${target.name === identity.user.name ? 'your' : `${target.name}'s`} server</h1>
          <form method="post" action="${action}" id="spawn-form">
            <input type="hidden" name="_xsrf" value="${xsrfToken(request, reply, deps)}">
            <button type="submit" id="start">Start</button>
          </form></section>`,
      }),
    );
  });

  app.post<{ Params: SpawnParams; Querystring: { next?: string } }>(`${paths.hubUrl('spawn')}/:name?`, async (request, reply) => {
    const identity = await pageUser(request, reply, deps);
    if (!identity) return reply;
    checkXsrf(request, deps);
    const target = await spawnTarget(deps, identity.user, identity.scopes, request.params.name);
    const view = deps.servers.view(target);
    if (!view?.ready && view?.pending !== 'spawn') {
      await deps.servers.start(target, '', { name: identity.user.name, ip: clientIp(request) });
      await deps.servers.waitForSpawn(target, '', 1000);
    }
    return reply.redirect(spawnPendingUrl(deps, target.name, safeNextUrl(request.query.next, paths)), 302);
  });

  app.get<{ Params: { name: string }; Querystring: { next?: string } }>(
    paths.hubUrl('spawn-pending/:name'),
    async (request, reply) => {
      const identity = await pageUser(request, reply, deps);
      if (!identity) return reply;
      const target = await spawnTarget(deps, identity.user, identity.scopes, request.params.name);
      const view = deps.servers.view(target);
      const next = safeNextUrl(request.query.next, paths) ?? paths.userServer(target.name);
      if (view?.ready) return reply.redirect(next, 302);
      if (!view || (view.pending === null && !view.failure)) {
        return reply.type('text/html').send(
          page({
            title: 'Server not running',
            paths,
            user: identity.user,
            body: html`<section class="card"><h1>Server not running</h1>
              <p id="message">${target.name}'s server is not running.</p>
              <a class="button" id="launch" href="${paths.hubUrl(`spawn/${encodeURIComponent(target.name)}`)}">Launch server</a></section>`,
          }),
        );
      }
      const failed = view.pending === null && view.failure !== null;
      const progressUrl = `${paths.api}/users/${encodeURIComponent(target.name)}/server/progress`;
      return reply
        .code(failed ? 500 : 200)
        .type('text/html')
        .send(
          page({
            title: failed ? 'Spawn failed' : 'Starting server',
            paths,
            user: identity.user,
            scripts: failed ? [] : ['spawn-pending.js'],
            body: html`<section class="card" id="spawn-progress" data-progress-url="${progressUrl}" data-next="${next}">
              <h1>${failed ? 'Your server failed to start' : 'Your server is starting up'}</h1>
              <progress id="progress-bar" max="100" value="${failed ? 100 : 0}"></progress>
              <p id="progress-message" class="${failed ? 'error' : ''}">${failed ? `Spawn failed: ${view.failure ?? ''}` : 'Waiting for the server\u2026'}</p>
              <div id="progress-log"></div>
              <p id="retry" ${failed ? '' : html`hidden`}><a class="button" href="${paths.hubUrl('home')}">Back to home</a></p>
            </section>`,
          }),
        );
    },
  );
}

/** The user whose server a page acts on: oneself, or another user when the caller holds `servers` on them. */
async function spawnTarget(deps: HubDeps, self: User, scopes: ReadonlySet<string>, name: string | undefined): Promise<User> {
  if (name === undefined || name === self.name) return self;
  const other = await deps.users.get(name);
  if (!other || !grants(scopes, 'servers', { user: other.name, server: `${other.name}/` })) {
    throw new BulwarkError('HUB_NOT_FOUND_OR_NO_ACCESS');
  }
  return other;
}
