// JupyterHub 3.0 still serves GET /hub/api/authorizations/cookie/{name}/{value} (deprecated since
// 2.0, with a warning): a caller with an API token learns whose hub login cookie it is, seeing
// the user model its scopes allow. Cookie-authenticated callers get 403; unknown cookies 404.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cliActor } from '../../../src/log/index.js';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { startApiHub, type ApiHub } from './api-hub.js';

let hub: ApiHub;
let cookie: string;
let browser: BrowserLikeClient;

before(async () => {
  hub = await startApiHub({});
  await hub.handle.services.users.create({ name: 'cora', password: 'cora-password-1', authorized: true }, cliActor);
  browser = new BrowserLikeClient(hub.url);
  await browser.submitForm('/hub/login', '/hub/login', { username: 'cora', password: 'cora-password-1' });
  cookie = browser.cookie('jupyterhub-hub-login') ?? '';
  assert.ok(cookie, 'logged in');
});

after(async () => hub?.close());

const lookup = (value: string, name = 'jupyterhub-hub-login') => `/hub/api/authorizations/cookie/${encodeURIComponent(name)}/${encodeURIComponent(value)}`;

test("a token holder with read:users gets the cookie's user model", async () => {
  const admin = await hub.token('root', undefined, { admin: true });
  const response = await hub.api(lookup(cookie), admin);
  assert.equal(response.status, 200);
  const model = (await response.json()) as Record<string, unknown>;
  assert.equal(model['kind'], 'user');
  assert.equal(model['name'], 'cora');
  assert.ok('last_activity' in model && 'groups' in model);
});

test('the model is cut to the caller\'s scopes; a caller who may see nothing of the user gets 404', async () => {
  const namesOnly = await hub.token('root', ['read:users:name']);
  const model = (await (await hub.api(lookup(cookie), namesOnly)).json()) as Record<string, unknown>;
  assert.deepEqual(Object.keys(model).sort(), ['admin', 'kind', 'name']);
  const other = await hub.token('otto');
  assert.equal((await hub.api(lookup(cookie), other)).status, 404);
});

test('unknown values, other cookie names and a logged-out session are 404; no token is 403', async () => {
  const admin = await hub.token('root', undefined, { admin: true });
  assert.equal((await hub.api(lookup('not-a-session'), admin)).status, 404);
  assert.equal((await hub.api(lookup(cookie, 'some-other-cookie'), admin)).status, 404);
  // The browser's own cookie is not enough: JupyterHub's handler is token_authenticated.
  const viaCookie = await browser.request(lookup(cookie), { headers: { accept: 'application/json' } });
  assert.equal(viaCookie.status, 403);
  assert.equal((await hub.api(lookup(cookie), undefined)).status, 403);
  await browser.submitForm('/hub/logout', '/hub/logout', {});
  assert.equal((await hub.api(lookup(cookie), admin)).status, 404);
});
