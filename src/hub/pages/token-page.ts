import type { FastifyInstance } from 'fastify';
import { html } from '../../web/index.js';
import type { HubDeps } from '../hub-deps.js';
import { xsrfToken } from '../request-context.js';
import { page } from './layout.js';
import { pageUser } from './require-login.js';
import { expiryOptions } from './token-expiry-options.js';

/**
 * `/hub/token`: create API tokens (note, expiry, scopes) and revoke them, through the REST API.
 * The expiry list respects hub.token_expires_in_max_seconds, which the API enforces anyway.
 */
export function registerTokenPage(app: FastifyInstance, deps: HubDeps): void {
  const paths = deps.paths;
  app.get(paths.hubUrl('token'), async (request, reply) => {
    const identity = await pageUser(request, reply, deps);
    if (!identity) return reply;
    const xsrf = xsrfToken(request, reply, deps);
    const options = expiryOptions(deps.config.hub.token_expires_in_max_seconds);
    const tokensUrl = `${paths.api}/users/${encodeURIComponent(identity.user.name)}/tokens`;
    const body = html`<section class="card" id="token-page" data-tokens-url="${tokensUrl}" data-xsrf="${xsrf}">
      <h1>API tokens</h1>
      <form id="new-token">
        <label for="token-note">Note</label><input type="text" id="token-note" placeholder="What is this token for?">
        <label for="token-expires">Expires in</label>
        <select id="token-expires">${options.map((option, i) => html`<option value="${option.value}" ${i === options.length - 1 ? 'selected' : ''}>${option.label}</option>`)}</select>
        <label for="token-scopes">Scopes (space separated; empty = all of yours)</label><input type="text" id="token-scopes" placeholder="read:users!user access:servers!user">
        <button type="submit" id="request-token">Request new API token</button>
      </form>
      <p class="notice" id="token-result" hidden>Your new token (shown only once): <code id="new-token-value"></code></p>
      <h2>Your tokens</h2>
      <table id="tokens"><thead><tr><th>Note</th><th>Scopes</th><th>Last used</th><th>Expires</th><th></th></tr></thead><tbody></tbody></table>
      <p class="error" id="token-error" role="alert"></p>
    </section>`;
    return reply.type('text/html').send(page({ title: 'Token', paths, user: identity.user, body, scripts: ['token.js'] }));
  });
}
