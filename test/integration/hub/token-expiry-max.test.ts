// hub.token_expires_in_max_seconds (JupyterHub 5.1's JupyterHub.token_expires_in_max_seconds):
// tokens created through the REST API get the maximum when they ask for no expiry and are
// refused with JupyterHub's 400 message when they ask for more; the token page offers only
// choices within it. Other token kinds (the CLI's) are not limited.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cliActor } from '../../../src/log/index.js';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { startApiHub, type ApiHub } from './api-hub.js';

const MAX = 36 * 3600;
let hub: ApiHub;

before(async () => {
  hub = await startApiHub({ 'hub.token_expires_in_max_seconds': MAX });
  await hub.handle.services.users.create({ name: 'tess', password: 'tess-password-1', authorized: true }, cliActor);
});

after(async () => hub?.close());

function secondsUntil(iso: unknown): number {
  return (Date.parse(String(iso)) - Date.now()) / 1000;
}

test('no expires_in (or 0) gets the maximum; within it is kept; beyond it is a 400 with JupyterHub\'s message', async () => {
  const tess = await hub.token('tess');
  const post = (json: unknown) => hub.api('/hub/api/users/tess/tokens', tess, { method: 'POST', json });

  for (const body of [{}, { expires_in: null }, { expires_in: 0 }]) {
    const response = await post(body);
    assert.equal(response.status, 201, JSON.stringify(body));
    const model = (await response.json()) as Record<string, unknown>;
    const left = secondsUntil(model['expires_at']);
    assert.ok(left > MAX - 120 && left <= MAX + 1, `${JSON.stringify(body)}: expires in ${left}s, expected about ${MAX}`);
  }

  const hour = (await (await post({ expires_in: 3600 })).json()) as Record<string, unknown>;
  const left = secondsUntil(hour['expires_at']);
  assert.ok(left > 3480 && left <= 3601, `expires in ${left}s`);
  assert.equal((await post({ expires_in: MAX })).status, 201, 'exactly the maximum is allowed');

  const refused = await post({ expires_in: MAX + 1 });
  assert.equal(refused.status, 400);
  const error = (await refused.json()) as { status: number; message: string };
  assert.deepEqual({ status: error.status, message: error.message }, { status: 400, message: `token expires_in: ${MAX + 1} must not exceed ${MAX}` });
});

test('the limit also applies to tokens asked for with username and password, and an admin asking for a user', async () => {
  const body = { auth: { username: 'tess', password: 'tess-password-1' }, expires_in: 10 * 86_400 };
  const refused = await hub.api('/hub/api/users/tess/tokens', undefined, { method: 'POST', json: body });
  assert.equal(refused.status, 400);
  assert.match(((await refused.json()) as { message: string }).message, /must not exceed 129600/);

  const admin = await hub.token('root', undefined, { admin: true });
  const forTess = await hub.api('/hub/api/users/tess/tokens', admin, { method: 'POST', json: {} });
  assert.equal(forTess.status, 201);
  assert.ok(((await forTess.json()) as { expires_at: string | null }).expires_at !== null);
});

test('tokens made outside the API (the CLI) are not limited', async () => {
  const owner = await hub.handle.services.users.get('tess');
  assert.ok(owner);
  const { record } = await hub.handle.services.tokens.create({ owner, note: 'cli' }, cliActor);
  assert.equal(record.expiresAt, null);
});

test('the token page offers only expiries within the maximum, the maximum selected', async () => {
  const client = new BrowserLikeClient(hub.url);
  await client.submitForm('/hub/login', '/hub/login', { username: 'tess', password: 'tess-password-1' });
  const page = await client.request('/hub/token');
  assert.equal(page.status, 200, page.hops.join(' -> '));
  const select = /<select id="token-expires">([\s\S]*?)<\/select>/.exec(page.body)?.[1] ?? '';
  const options = [...select.matchAll(/<option value="([^"]*)"\s*(selected)?>([^<]*)<\/option>/g)].map((m) => [m[3], m[1], m[2] ?? '']);
  assert.deepEqual(options, [
    ['1 Hour', '3600', ''],
    ['1 Day', '86400', ''],
    ['Max (36 hours)', '', 'selected'],
  ]);
});
