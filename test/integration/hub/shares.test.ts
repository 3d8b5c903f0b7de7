// JupyterHub 5 sharing: an owner grants another user (or a group) access to their server through
// /hub/api/shares, and the real jupyterhub-singleuser, running under the owner's Linux account,
// then lets that user in through the hub's OAuth (the token's scopes carry the share). The
// grantee sees the share under /users/{name}/shared and can leave it; the owner can revoke.
// A share code, opened at /hub/accept-share by another user, becomes a share for them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cliActor } from '../../../src/log/index.js';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

let hub: TestHub;
let olga: OsUser;
const tokens: Record<string, string> = {};

async function api(path: string, who: string, init: { method?: string; json?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `token ${tokens[who] ?? ''}` };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${hub.url}/hub/api${path}`, { method: init.method ?? 'GET', headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

before(async () => {
  olga = await createOsUser();
  // As in JupyterHub 5, sharing needs `shares` on one's servers and the names of those shared with.
  hub = await startTestHub({ roles: [{ name: 'sharer', scopes: ['shares!user', 'read:users:name', 'read:groups:name'], users: [olga.name] }] });
  const { users, tokens: store } = hub.handle.services;
  for (const [name, admin] of [[olga.name, false], ['sven', false], ['gus', false], ['rita', false], ['shareadmin', true]] as const) {
    const user = await users.create({ name, password: `${name}-password-1`, admin, authorized: true }, cliActor);
    tokens[name] = (await store.create({ owner: user, note: 'test' }, cliActor)).token;
  }
  assert.equal((await api('/groups/team', 'shareadmin', { method: 'POST', json: { users: ['gus'] } })).status, 201);
  const owner = await users.require(olga.name);
  await hub.handle.servers.start(owner, '', cliActor);
  const view = await hub.handle.servers.waitForSpawn(owner, '', 60_000);
  assert.equal(view?.ready, true, `spawn failed: ${view?.failure ?? 'still pending'}`);
});

after(async () => {
  await hub?.close();
  if (olga) await removeOsUser(olga);
});

test('a user share lets the grantee into the real single-user server; lists on both sides show it', async () => {
  const sven = new BrowserLikeClient(hub.url);
  await sven.submitForm('/hub/login', '/hub/login', { username: 'sven', password: 'sven-password-1' });
  const before = await sven.request(`/user/${olga.name}/tree`);
  assert.equal(before.status, 403, `not shared yet: ${before.hops.join(' -> ')}`);
  assert.ok(before.hops.some((hop) => hop.startsWith('/hub/api/oauth2/authorize')), 'the hub refused the OAuth authorization');

  const granted = await api(`/shares/${olga.name}/`, olga.name, { method: 'POST', json: { user: 'sven' } });
  assert.equal(granted.status, 200, JSON.stringify(granted.body));
  assert.deepEqual(granted.body['server'], { name: '', user: { name: olga.name }, url: `/user/${olga.name}/`, ready: true });
  assert.deepEqual(granted.body['scopes'], [`access:servers!server=${olga.name}/`]);
  assert.deepEqual(granted.body['user'], { name: 'sven' });
  assert.equal(granted.body['group'], null);
  assert.match(String(granted.body['created_at']), /^\d{4}-\d\d-\d\dT/);

  const after = await sven.request(`/user/${olga.name}/tree`);
  assert.equal(after.status, 200, after.hops.join(' -> '));
  const status = await sven.request(`/user/${olga.name}/api/status`, { headers: { accept: 'application/json' } });
  assert.equal(status.status, 200, 'the single-user server accepts sven on its API too');
  assert.ok(after.hops.some((hop) => hop.startsWith(`/hub/api/oauth2/authorize?client_id=jupyterhub-user-${olga.name}`)), after.hops.join(' '));

  const mine = await api('/users/sven/shared', 'sven');
  assert.equal(mine.status, 200);
  assert.equal((mine.body['items'] as unknown[]).length, 1);
  assert.equal((mine.body['_pagination'] as { total: number }).total, 1);
  assert.equal((await api(`/users/sven/shared/${olga.name}/`, 'sven')).status, 200);
  const owned = await api(`/shares/${olga.name}`, olga.name);
  assert.deepEqual((owned.body['items'] as Array<{ user: { name: string } }>).map((share) => share.user.name), ['sven']);
  assert.equal((await api(`/shares/${olga.name}/`, olga.name)).status, 200);
});

test('group shares reach members; scopes merge; refusals say why', async () => {
  const group = await api(`/shares/${olga.name}/`, olga.name, { method: 'POST', json: { group: 'team', scopes: ['read:servers'] } });
  assert.equal(group.status, 200, JSON.stringify(group.body));
  assert.deepEqual(group.body['group'], { name: 'team' });
  const gus = await api('/user', 'gus');
  assert.ok((gus.body['scopes'] as string[]).includes(`read:servers!server=${olga.name}/`), 'a member holds the shared scope');
  assert.equal(((await api('/groups/team/shared', 'shareadmin')).body['items'] as unknown[]).length, 1);
  const merged = await api(`/shares/${olga.name}/`, olga.name, { method: 'POST', json: { group: 'team', scopes: [`access:servers!server=${olga.name}/`] } });
  assert.deepEqual(merged.body['scopes'], [`access:servers!server=${olga.name}/`, `read:servers!server=${olga.name}/`]);

  const refused = async (body: unknown, status: number, message: RegExp, who = olga.name, path = `/shares/${olga.name}/`) => {
    const result = await api(path, who, { method: 'POST', json: body });
    assert.equal(result.status, status, JSON.stringify(result.body));
    assert.match(String(result.body['message']), message);
  };
  await refused({}, 400, /exactly one of 'user' or 'group'/);
  await refused({ user: 'sven', group: 'team' }, 400, /exactly one/);
  await refused({ user: olga.name }, 400, /with its owner/);
  await refused({ user: 'nobody' }, 400, /No such user: nobody/);
  await refused({ user: 'sven', scopes: ['admin:users'] }, 400, /cannot be shared/);
  await refused({ user: 'sven', scopes: ['access:servers!server=sven/'] }, 400, /not limited to server=/);
  await refused({ user: 'gus' }, 404, /No such server/, olga.name, `/shares/${olga.name}/nosuch`);
  // sven holds no `shares` on olga's server: he cannot pass his access on.
  const passOn = await api(`/shares/${olga.name}/`, 'sven', { method: 'POST', json: { user: 'gus' } });
  assert.ok([403, 404].includes(passOn.status), String(passOn.status));
});

test('revoking: PATCH removes scopes, the grantee can leave, DELETE removes every share', async () => {
  const partial = await api(`/shares/${olga.name}/`, olga.name, { method: 'PATCH', json: { group: 'team', scopes: ['read:servers'] } });
  assert.deepEqual(partial.body['scopes'], [`access:servers!server=${olga.name}/`]);
  const none = await api(`/shares/${olga.name}/`, olga.name, { method: 'PATCH', json: { group: 'team' } });
  assert.equal(none.status, 200);
  assert.deepEqual(none.body, {});
  assert.ok(!((await api('/user', 'gus')).body['scopes'] as string[]).some((scope) => scope.includes(`server=${olga.name}/`)));

  assert.equal((await api(`/users/sven/shared/${olga.name}/`, 'sven', { method: 'DELETE' })).status, 204, 'sven leaves');
  assert.equal((await api(`/users/sven/shared/${olga.name}/`, 'sven')).status, 404);
  assert.ok(!((await api('/user', 'sven')).body['scopes'] as string[]).includes(`access:servers!server=${olga.name}/`));

  await api(`/shares/${olga.name}/`, olga.name, { method: 'POST', json: { user: 'sven' } });
  assert.equal((await api(`/shares/${olga.name}/`, olga.name, { method: 'DELETE' })).status, 204);
  assert.deepEqual((await api(`/shares/${olga.name}`, olga.name)).body['items'], []);
  assert.deepEqual((await api('/users/sven/shared', 'sven')).body['items'], []);
});

test('a share code is accepted in the browser flow and becomes a share; revoked codes stop working', async () => {
  const issued = await api(`/share-codes/${olga.name}/`, olga.name, { method: 'POST', json: { expires_in: 3600 } });
  assert.equal(issued.status, 200, JSON.stringify(issued.body));
  const code = String(issued.body['code']);
  assert.match(String(issued.body['id']), /^sc_\d+$/);
  assert.equal(issued.body['accept_url'], `/hub/accept-share?code=${encodeURIComponent(code)}`);
  assert.deepEqual(issued.body['scopes'], [`access:servers!server=${olga.name}/`]);
  assert.equal(issued.body['exchange_count'], 0);
  const left = (Date.parse(String(issued.body['expires_at'])) - Date.now()) / 1000;
  assert.ok(left > 3300 && left <= 3600, `expires in ${left}s`);
  const listed = await api(`/share-codes/${olga.name}`, olga.name);
  assert.equal((listed.body['items'] as Array<Record<string, unknown>>)[0]?.['code'], undefined, 'the code is never listed');

  const rita = new BrowserLikeClient(hub.url);
  await rita.submitForm('/hub/login', '/hub/login', { username: 'rita', password: 'rita-password-1' });
  const offer = await rita.request(String(issued.body['accept_url']));
  assert.equal(offer.status, 200, offer.hops.join(' -> '));
  assert.match(offer.body, new RegExp(`id="share-owner">${olga.name}<`));
  const accepted = await rita.submitForm(String(issued.body['accept_url']), '/hub/accept-share', { code });
  assert.equal(accepted.status, 200, accepted.hops.join(' -> '));
  assert.ok(accepted.hops.includes(`/user/${olga.name}/`), accepted.hops.join(' '));
  assert.equal((await api(`/users/rita/shared/${olga.name}/`, 'shareadmin')).status, 200, 'the code became a share');
  const used = await api(`/share-codes/${olga.name}/`, olga.name);
  assert.equal((used.body['items'] as Array<{ exchange_count: number }>)[0]?.exchange_count, 1);

  const owner = new BrowserLikeClient(hub.url);
  await owner.submitForm('/hub/login', '/hub/login', { username: olga.name, password: `${olga.name}-password-1` });
  assert.equal((await owner.request(String(issued.body['accept_url']))).status, 400, 'the owner cannot accept their own code');

  assert.equal((await api(`/share-codes/${olga.name}/?id=${String(issued.body['id'])}`, olga.name, { method: 'DELETE' })).status, 204);
  assert.deepEqual((await api(`/share-codes/${olga.name}/`, olga.name)).body['items'], []);
  assert.equal((await rita.request(String(issued.body['accept_url']))).status, 404, 'a revoked code is not valid');
  assert.equal((await api(`/share-codes/${olga.name}/`, olga.name, { method: 'POST', json: { expires_in: -5 } })).status, 400);
});

test("share-code lifetimes follow JupyterHub 5: a day by default, a minute to a year; expired codes are neither listed nor accepted", async () => {
  const path = `/share-codes/${olga.name}/`;
  const issue = (json: unknown) => api(path, olga.name, { method: 'POST', json });
  const secondsLeft = (body: Record<string, unknown>) => (Date.parse(String(body['expires_at'])) - Date.parse(String(body['created_at']))) / 1000;

  const byDefault = await issue({});
  assert.equal(byDefault.status, 200, JSON.stringify(byDefault.body));
  assert.equal(secondsLeft(byDefault.body), 86_400);
  const longest = await issue({ expires_in: 31_536_000 });
  assert.equal(longest.status, 200, JSON.stringify(longest.body));
  assert.equal(secondsLeft(longest.body), 31_536_000);
  assert.equal((await issue({ expires_in: 60 })).status, 200, 'one minute is the shortest');
  for (const expires_in of [31_536_001, 59, 0, 3600.5, '3600', null]) {
    const refused = await issue({ expires_in });
    assert.equal(refused.status, 400, `expires_in ${JSON.stringify(expires_in)}: ${JSON.stringify(refused.body)}`);
    assert.match(String(refused.body['message']), /^expires_in must be a whole number of seconds from 60 to 31536000 \(one year\), got /);
  }
  assert.equal(((await api(path, olga.name)).body['items'] as unknown[]).length, 3, 'refused requests issue nothing');

  // A code past its expiry (its row moved back in time: the test cannot wait a minute).
  const expired = await issue({ expires_in: 60 });
  const code = String(expired.body['code']);
  const rowId = Number(String(expired.body['id']).slice(3));
  const { db } = hub.handle.services.database;
  await db.updateTable('hub_share_codes').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', rowId).execute();
  const listed = (await api(path, olga.name)).body['items'] as Array<{ id: string }>;
  assert.equal(listed.length, 3);
  assert.ok(!listed.some((item) => item.id === expired.body['id']), 'an expired code is not listed');
  assert.ok(!((await api(`/share-codes/${olga.name}`, olga.name)).body['items'] as Array<{ id: string }>).some((item) => item.id === expired.body['id']));

  const rita = new BrowserLikeClient(hub.url);
  await rita.submitForm('/hub/login', '/hub/login', { username: 'rita', password: 'rita-password-1' });
  const acceptUrl = String(expired.body['accept_url']);
  assert.equal((await rita.request(acceptUrl)).status, 404, 'the accept page refuses an expired code');
  const live = await rita.request(String(byDefault.body['accept_url']));
  const posted = await rita.request('/hub/accept-share', { form: { _xsrf: BrowserLikeClient.xsrfFrom(live.body), code }, follow: false });
  assert.equal(posted.status, 404, 'accepting an expired code is refused');
  const sharedWithRita = (await api('/users/rita/shared', 'shareadmin')).body['items'] as Array<{ server: { user: { name: string } } }>;
  assert.deepEqual(
    sharedWithRita.map((share) => share.server.user.name),
    [olga.name],
    'only the share from the earlier, live code',
  );

  // Revoking names a live code, or an id (expired or not); an unknown one is a 404 as in JupyterHub.
  const missingCode = await api(`${path}?code=${encodeURIComponent(code)}`, olga.name, { method: 'DELETE' });
  assert.equal(missingCode.status, 404);
  assert.equal(missingCode.body['message'], 'No matching code found');
  assert.equal((await api(`${path}?id=${String(expired.body['id'])}`, olga.name, { method: 'DELETE' })).status, 204);
  const missingId = await api(`${path}?id=${String(expired.body['id'])}`, olga.name, { method: 'DELETE' });
  assert.equal(missingId.status, 404);
  assert.equal(missingId.body['message'], `No code found matching id=${String(expired.body['id'])}`);
  assert.equal((await api(`${path}?id=nonsense`, olga.name, { method: 'DELETE' })).status, 404);
  assert.equal((await api(path, olga.name, { method: 'DELETE' })).status, 204, 'revoke all');
  assert.equal((await api(path, olga.name, { method: 'DELETE' })).status, 204, 'revoking all of none is fine');
  assert.deepEqual((await api(path, olga.name)).body['items'], []);
});
