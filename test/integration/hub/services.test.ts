// Services against Python code no one here wrote: a tornado service using Debian's
// jupyterhub.services.auth (HubOAuthenticated) is started and supervised by the hub, calls the
// API with its own token, logs a browser user in through OAuth, and accepts a user's API token.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { cliActor } from '../../../src/log/index.js';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { findFreePort } from '../../helpers/ports.js';
import { startApiHub, type ApiHub } from './api-hub.js';
import { InProcessSpawner } from './fake-spawner.js';

const script = fileURLToPath(new URL('../../fixtures/jupyterhub/whoami-service.py', import.meta.url));
let hub: ApiHub;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

before(async () => {
  const port = await findFreePort();
  hub = await startApiHub(
    {
      services: [{ name: 'whoami', url: `http://127.0.0.1:${port}`, command: ['/usr/bin/python3', script] }],
      roles: [
        { name: 'whoami-service', scopes: ['list:users', 'read:users:name'], services: ['whoami'] },
        { name: 'whoami-users', scopes: ['access:services!service=whoami'], users: ['wanda'] },
      ],
    },
    new InProcessSpawner(),
  );
  await hub.handle.services.users.create({ name: 'wanda', password: 'wanda-password-1', authorized: true }, cliActor);
  await hub.handle.services.users.create({ name: 'otto', password: 'otto-password-1', authorized: true }, cliActor);
});

after(async () => hub?.close());

test('the hub starts the managed service with the JupyterHub environment, and it calls the API with its token', async () => {
  const check = await waitFor('the managed service', async () => {
    const response = await fetch(`${hub.url}/services/whoami/api-check`);
    return response.status === 200 ? ((await response.json()) as { me: Record<string, unknown>; users: string[]; pid: number; env: Record<string, string> }) : undefined;
  });
  assert.equal(check.me['kind'], 'service');
  assert.equal(check.me['name'], 'whoami');
  assert.ok((check.me['scopes'] as string[]).includes('list:users'));
  assert.deepEqual(check.users.sort(), ['otto', 'wanda']);
  assert.equal(check.env['JUPYTERHUB_SERVICE_NAME'], 'whoami');
  assert.equal(check.env['JUPYTERHUB_SERVICE_PREFIX'], '/services/whoami/');
  assert.equal(check.env['JUPYTERHUB_CLIENT_ID'], 'service-whoami');
  assert.equal(check.env['JUPYTERHUB_OAUTH_CALLBACK_URL'], '/services/whoami/oauth_callback');
  assert.match(check.env['JUPYTERHUB_API_URL'] ?? '', /^http:\/\/127\.0\.0\.1:\d+\/hub\/api$/);

  const model = (await (await hub.api('/hub/api/services/whoami', await hub.token('root', undefined, { admin: true }))).json()) as Record<string, unknown>;
  assert.equal(model['pid'], check.pid);
  assert.deepEqual(model['command'], ['/usr/bin/python3', script]);
});

test('HubOAuth logs a browser user in through the hub; users without access:services get 403', async () => {
  const wanda = new BrowserLikeClient(hub.url);
  await wanda.submitForm('/hub/login', '/hub/login', { username: 'wanda', password: 'wanda-password-1' });
  const page = await wanda.request('/services/whoami/', { headers: { accept: 'application/json' } });
  assert.equal(page.status, 200, page.hops.join(' -> '));
  assert.ok(page.hops.some((hop) => hop.startsWith('/hub/api/oauth2/authorize?client_id=service-whoami')), page.hops.join(' '));
  assert.ok(page.hops.some((hop) => hop.startsWith('/services/whoami/oauth_callback?code=')), page.hops.join(' '));
  const user = JSON.parse(page.body) as { name: string; scopes: string[] };
  assert.equal(user.name, 'wanda');
  assert.ok(user.scopes.includes('access:services!service=whoami'));

  const otto = new BrowserLikeClient(hub.url);
  await otto.submitForm('/hub/login', '/hub/login', { username: 'otto', password: 'otto-password-1' });
  const refused = await otto.request('/services/whoami/');
  assert.equal(refused.status, 403, refused.hops.join(' -> '));
});

test('HubAuth accepts a user API token in the Authorization header and refuses bad ones', async () => {
  const token = await hub.token('wanda');
  const response = await fetch(`${hub.url}/services/whoami/`, { headers: { authorization: `token ${token}` } });
  assert.equal(response.status, 200);
  assert.equal(((await response.json()) as { name: string }).name, 'wanda');
  const bad = await fetch(`${hub.url}/services/whoami/`, { headers: { authorization: 'token 0123456789abcdef0123456789abcdef', accept: 'application/json' }, redirect: 'manual' });
  assert.notEqual(bad.status, 200);
  const noAccess = await fetch(`${hub.url}/services/whoami/`, { headers: { authorization: `token ${await hub.token('otto')}` }, redirect: 'manual' });
  assert.equal(noAccess.status, 403);
});

test('a managed service that dies is restarted', async () => {
  const admin = await hub.token('root', undefined, { admin: true });
  const pidOf = async () => ((await (await hub.api('/hub/api/services/whoami', admin)).json()) as { pid: number }).pid;
  const first = await pidOf();
  assert.ok(first > 0);
  process.kill(first, 'SIGKILL');
  const second = await waitFor('a new service process', async () => {
    const pid = await pidOf();
    return pid > 0 && pid !== first ? pid : undefined;
  });
  assert.notEqual(second, first);
  await waitFor('the restarted service to answer', async () => ((await fetch(`${hub.url}/services/whoami/api-check`)).status === 200 ? true : undefined));
});
