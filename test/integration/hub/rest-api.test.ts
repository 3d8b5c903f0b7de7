// The JupyterHub REST API against a real hub (in-process spawner): users, groups, tokens,
// services, proxy, info, pagination, state filters, and the 403-versus-404 rule with tokens of
// different scopes, including custom roles from config and group roles.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startApiHub, type ApiHub } from './api-hub.js';
import { InProcessSpawner } from './fake-spawner.js';

let hub: ApiHub;
let admin: string;
const spawner = new InProcessSpawner();

before(async () => {
  hub = await startApiHub(
    {
      'hub.allow_named_servers': true,
      'hub.named_server_limit_per_user': 2,
      roles: [
        { name: 'user-manager', scopes: ['admin:users', 'list:users'], users: ['manager'] },
        { name: 'team-reader', description: 'reads team members', scopes: ['read:users!group=team', 'list:users!group=team'], groups: ['readers'] },
      ],
      services: [{ name: 'announce', url: 'http://127.0.0.1:9/', api_token: 'announce-token-0123456789' }],
    },
    spawner,
  );
  admin = await hub.token('root', undefined, { admin: true });
});

after(async () => hub?.close());

async function json(response: Response): Promise<unknown> {
  const text = await response.text();
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

async function expectStatus(response: Response, status: number, message?: RegExp): Promise<unknown> {
  const body = await json(response);
  assert.equal(response.status, status, `${response.url}: ${JSON.stringify(body)}`);
  if (message) assert.match((body as { message: string }).message, message);
  if (status >= 400) assert.equal((body as { status: number }).status, status, 'errors are {status, message}');
  return body;
}

test('hub information: version, info (read:hub), health, unknown paths are JSON 404', async () => {
  assert.deepEqual(await expectStatus(await hub.api('/hub/api/', undefined), 200), { version: '3.0.0' });
  const info = (await expectStatus(await hub.api('/hub/api/info', admin), 200)) as Record<string, unknown>;
  for (const key of ['version', 'python', 'sys_executable', 'spawner', 'authenticator']) assert.ok(key in info, key);
  const plain = await hub.token('plain-user');
  await expectStatus(await hub.api('/hub/api/info', plain), 403, /read:hub/);
  await expectStatus(await hub.api('/hub/api/info', undefined), 403);
  await expectStatus(await hub.api('/hub/api/health', undefined), 200);
  const preflight = await hub.api('/hub/api/users/ann', undefined, { method: 'OPTIONS' });
  assert.equal(preflight.status, 200);
  assert.equal(preflight.headers.get('access-control-allow-headers'), 'accept, content-type, authorization');
  assert.equal((await hub.api('/hub/api/', undefined)).headers.get('access-control-allow-origin'), '*');
  await expectStatus(await hub.api('/hub/api/no/such/thing', admin), 404);
  const bearer = await hub.api('/hub/api/user', undefined, { headers: { authorization: `Bearer ${admin}` } });
  assert.equal(((await expectStatus(bearer, 200)) as { name: string }).name, 'root');
});

test('users: create (bulk and single), list with pagination, state and name filters, rename, admin, delete', async () => {
  const created = (await expectStatus(await hub.api('/hub/api/users', admin, { method: 'POST', json: { usernames: ['ann', 'ben', 'cat'] } }), 201)) as Array<{ name: string }>;
  assert.deepEqual(created.map((u) => u.name), ['ann', 'ben', 'cat']);
  const again = (await expectStatus(await hub.api('/hub/api/users', admin, { method: 'POST', json: { usernames: ['ann', 'dan'] } }), 201)) as unknown[];
  assert.equal(again.length, 1, 'existing names are skipped');
  await expectStatus(await hub.api('/hub/api/users', admin, { method: 'POST', json: { usernames: ['ann'] } }), 409, /All 1 users already exist/);
  await expectStatus(await hub.api('/hub/api/users', admin, { method: 'POST', json: { usernames: [] } }), 400);
  await expectStatus(await hub.api('/hub/api/users', admin, { method: 'POST', json: { usernames: ['Bad Name!'] } }), 400, /Invalid username/);
  await expectStatus(await hub.api('/hub/api/users/eve', admin, { method: 'POST', json: { admin: false } }), 201);
  await expectStatus(await hub.api('/hub/api/users/eve', admin, { method: 'POST' }), 409, /already exists/);
  await expectStatus(await hub.api('/hub/api/users/fay', admin, { method: 'POST', json: { bogus: 1 } }), 400, /Invalid JSON keys/);

  const all = (await expectStatus(await hub.api('/hub/api/users', admin), 200)) as Array<Record<string, unknown>>;
  assert.ok(Array.isArray(all));
  const ann = all.find((u) => u.name === 'ann');
  for (const key of ['kind', 'name', 'admin', 'roles', 'groups', 'server', 'pending', 'created', 'last_activity', 'servers']) assert.ok(ann && key in ann, key);

  const pageHeaders = { accept: 'application/jupyterhub-pagination+json' };
  const page = (await expectStatus(await hub.api('/hub/api/users?limit=2', admin, { headers: pageHeaders }), 200)) as {
    items: unknown[];
    _pagination: { offset: number; limit: number; total: number; next: { offset: number; url: string } | null };
  };
  assert.equal(page.items.length, 2);
  assert.equal(page._pagination.total, all.length);
  assert.equal(page._pagination.next?.offset, 2);
  assert.match(page._pagination.next?.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/hub\/api\/users\?limit=2&offset=2|offset=2&limit=2/);
  let total = 0;
  let url: string | null = `${hub.url}/hub/api/users?limit=2`;
  while (url) {
    const next = (await json(await fetch(url, { headers: { ...pageHeaders, authorization: `token ${admin}` } }))) as typeof page;
    total += next.items.length;
    url = next._pagination.next?.url ?? null;
  }
  assert.equal(total, all.length, 'following next.url visits every user once');
  const clamped = (await json(await hub.api('/hub/api/users?limit=0', admin, { headers: pageHeaders }))) as typeof page;
  assert.equal(clamped._pagination.limit, 1);
  await expectStatus(await hub.api('/hub/api/users?offset=x', admin), 400, /offset and limit must be integers/);
  await expectStatus(await hub.api('/hub/api/users?state=sleepy', admin), 400, /Unrecognized state filter/);
  await expectStatus(await hub.api('/hub/api/users?sort=height', admin), 400);
  const filtered = (await json(await hub.api('/hub/api/users?name_filter=AN', admin))) as Array<{ name: string }>;
  assert.deepEqual(filtered.map((u) => u.name), ['ann', 'dan']);
  const byName = (await json(await hub.api('/hub/api/users?sort=-name&limit=1', admin))) as Array<{ name: string }>;
  assert.equal(byName[0]?.name, 'root');

  const renamed = (await expectStatus(await hub.api('/hub/api/users/cat', admin, { method: 'PATCH', json: { name: 'kit', admin: true } }), 200)) as Record<string, unknown>;
  assert.equal(renamed['name'], 'kit');
  assert.equal(renamed['admin'], true);
  await expectStatus(await hub.api('/hub/api/users/cat', admin), 404);
  await expectStatus(await hub.api('/hub/api/users/kit', admin, { method: 'PATCH', json: { name: 'ann' } }), 400, /already exists/);
  await expectStatus(await hub.api('/hub/api/users/kit', admin, { method: 'PATCH', json: { color: 'red' } }), 400, /Invalid JSON keys/);

  await expectStatus(await hub.api('/hub/api/users/kit', admin, { method: 'DELETE' }), 204);
  await expectStatus(await hub.api('/hub/api/users/kit', admin, { method: 'DELETE' }), 404);
  await expectStatus(await hub.api('/hub/api/users/root', admin, { method: 'DELETE' }), 400, /Cannot delete yourself/);
});

test('custom roles from config: admin:users without admin cannot grant admin; group roles apply to members', async () => {
  const manager = await hub.token('manager');
  await expectStatus(await hub.api('/hub/api/users/gus', manager, { method: 'POST' }), 201);
  await expectStatus(await hub.api('/hub/api/users/hal', manager, { method: 'POST', json: { admin: true } }), 403, /Only admins/);
  await expectStatus(await hub.api('/hub/api/users/root', manager, { method: 'PATCH', json: { name: 'toor' } }), 403, /Only admins/);
  const model = (await json(await hub.api('/hub/api/users/manager', admin))) as { roles: string[] };
  assert.deepEqual(model.roles, ['user', 'user-manager']);

  await expectStatus(await hub.api('/hub/api/groups', admin, { method: 'POST', json: { groups: ['team', 'readers'] } }), 201);
  await expectStatus(await hub.api('/hub/api/groups/team/users', admin, { method: 'POST', json: { users: ['ann', 'ben'] } }), 200);
  const reader = await hub.token('rita');
  // Not yet in `readers`: no list:users at all → 403.
  await expectStatus(await hub.api('/hub/api/users', reader), 403);
  await expectStatus(await hub.api('/hub/api/groups/readers/users', admin, { method: 'POST', json: { users: ['rita'] } }), 200);
  const listed = (await expectStatus(await hub.api('/hub/api/users', reader), 200)) as Array<{ name: string }>;
  assert.deepEqual(listed.map((u) => u.name).sort(), ['ann', 'ben'], 'the list is restricted by the !group filter');
  const ann = (await expectStatus(await hub.api('/hub/api/users/ann', reader), 200)) as Record<string, unknown>;
  assert.deepEqual(ann['groups'], ['team']);
  await expectStatus(await hub.api('/hub/api/users/dan', reader), 404, /No access to resources or resources not found/);
  await expectStatus(await hub.api('/hub/api/users/nobody-at-all', reader), 404, /No access to resources or resources not found/);
});

test('scopes on tokens: 403 without the scope, 404 outside its filter, field visibility per scope', async () => {
  const nameOnly = await hub.token('root', ['read:users:name!user=ben']);
  const ben = (await expectStatus(await hub.api('/hub/api/users/ben', nameOnly), 200)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(ben).sort(), ['admin', 'kind', 'name']);
  await expectStatus(await hub.api('/hub/api/users/dan', nameOnly), 404);
  const noScopes = await hub.token('ann', []);
  await expectStatus(await hub.api('/hub/api/users/ben', noScopes), 403, /requires any of/);
  const me = (await expectStatus(await hub.api('/hub/api/user', noScopes), 200)) as Record<string, unknown>;
  assert.equal(me['name'], 'ann');
  assert.deepEqual(me['scopes'], [], 'the identify scopes are not listed');
  assert.deepEqual(Object.keys(me).sort(), ['admin', 'groups', 'kind', 'name', 'scopes', 'session_id', 'token_id']);
  const seen = (await json(await hub.api('/hub/api/users/ann', admin))) as { last_activity: string | null };
  assert.ok(seen.last_activity !== null, 'using a token is activity of its owner');
  const unheld = await hub.token('ann', ['read:users:name!user=ben']);
  await expectStatus(await hub.api('/hub/api/users/ben', unheld), 403, undefined);
  // A plain user's token cannot reach other users even when it asks for more.
  const greedy = await hub.token('ben', ['read:users']);
  await expectStatus(await hub.api('/hub/api/users/ann', greedy), 404);
  await expectStatus(await hub.api('/hub/api/users/ben', greedy), 200);
});

test('tokens: list, create with scopes and note, refuse scopes the owner lacks, password auth, get, revoke', async () => {
  const ann = await hub.token('ann');
  const list = (await expectStatus(await hub.api('/hub/api/users/ann/tokens', ann), 200)) as { api_tokens: Array<Record<string, unknown>> };
  assert.ok(list.api_tokens.length >= 1);
  for (const key of ['id', 'kind', 'user', 'roles', 'scopes', 'note', 'created', 'last_activity', 'expires_at', 'session_id', 'oauth_client']) {
    assert.ok(key in (list.api_tokens[0] ?? {}), key);
  }
  const created = (await expectStatus(
    await hub.api('/hub/api/users/ann/tokens', ann, { method: 'POST', json: { note: 'for a script', expires_in: 3600, scopes: ['read:users!user=ann'] } }),
    201,
  )) as Record<string, unknown>;
  assert.match(String(created['token']), /^[0-9a-f]{32}$/);
  assert.equal(created['note'], 'for a script');
  assert.ok(created['expires_at']);
  assert.ok((created['scopes'] as string[]).includes('read:users:name!user=ann'), 'scopes are reported expanded');
  await expectStatus(await hub.api('/hub/api/users/ann/tokens', ann, { method: 'POST', json: { scopes: ['admin:users'] } }), 400, /not held by User ann/);
  await expectStatus(await hub.api('/hub/api/users/ann/tokens', ann, { method: 'POST', json: { scopes: ['no:such:scope'] } }), 400);
  await expectStatus(await hub.api('/hub/api/users/ann/tokens', ann, { method: 'POST', json: { expires_in: 'soon' } }), 400);
  await expectStatus(await hub.api('/hub/api/users/ben/tokens', ann, { method: 'POST', json: {} }), 403, /no permissions to generate tokens/);
  const forAnn = (await expectStatus(await hub.api('/hub/api/users/ann/tokens', admin, { method: 'POST', json: {} }), 201)) as Record<string, unknown>;
  assert.equal(forAnn['note'], 'Requested via api by user root');

  await hub.handle.services.users.setPassword('ben', 'ben-password-1', { name: null });
  const viaPassword = await hub.api('/hub/api/users/ben/tokens', undefined, { method: 'POST', json: { auth: { username: 'ben', password: 'ben-password-1' } } });
  const benToken = ((await expectStatus(viaPassword, 201)) as { token: string }).token;
  assert.equal(((await json(await hub.api('/hub/api/user', benToken))) as { name: string }).name, 'ben');
  await expectStatus(await hub.api('/hub/api/users/ben/tokens', undefined, { method: 'POST', json: { auth: { username: 'ben', password: 'wrong-password' } } }), 403);
  await expectStatus(await hub.api('/hub/api/users/ann/tokens', undefined, { method: 'POST', json: { auth: { username: 'ben', password: 'ben-password-1' } } }), 403);

  const id = String(created['id']);
  await expectStatus(await hub.api(`/hub/api/users/ann/tokens/${id}`, ann), 200);
  await expectStatus(await hub.api(`/hub/api/users/ben/tokens/${id}`, admin), 404, new RegExp(`No such token ${id} for user ben`));
  await expectStatus(await hub.api(`/hub/api/users/ann/tokens/${id}`, ann, { method: 'DELETE' }), 204);
  await expectStatus(await hub.api(`/hub/api/users/ann/tokens/${id}`, ann), 404);
  await expectStatus(await hub.api('/hub/api/user', String(created['token'])), 403, /Forbidden/);
});

test('groups: create, read, members, properties, delete, with JupyterHub status codes', async () => {
  const group = (await expectStatus(await hub.api('/hub/api/groups/lab', admin, { method: 'POST', json: { users: ['ann'] } }), 201)) as Record<string, unknown>;
  assert.deepEqual(group, { kind: 'group', name: 'lab', users: ['ann'], properties: {}, roles: [] });
  await expectStatus(await hub.api('/hub/api/groups/lab', admin, { method: 'POST' }), 409, /Group lab already exists/);
  await expectStatus(await hub.api('/hub/api/groups/lab2', admin, { method: 'POST', json: { users: ['ghost'] } }), 400, /No such user: ghost/);
  await expectStatus(await hub.api('/hub/api/groups', admin, { method: 'POST', json: { groups: ['lab'] } }), 409);
  await expectStatus(await hub.api('/hub/api/groups/lab/users', admin, { method: 'POST', json: { users: ['ben', 'ann'] } }), 200);
  const removed = (await expectStatus(await hub.api('/hub/api/groups/lab/users', admin, { method: 'DELETE', json: { users: ['ann'] } }), 200)) as { users: string[] };
  assert.deepEqual(removed.users, ['ben']);
  await expectStatus(await hub.api('/hub/api/groups/lab/users', admin, { method: 'POST', json: {} }), 400);
  const props = (await expectStatus(await hub.api('/hub/api/groups/lab/properties', admin, { method: 'PUT', json: { quota: 5 } }), 200)) as { properties: unknown };
  assert.deepEqual(props.properties, { quota: 5 });
  const page = (await json(await hub.api('/hub/api/groups?limit=1', admin, { headers: { accept: 'application/jupyterhub-pagination+json' } }))) as { items: unknown[]; _pagination: { total: number } };
  assert.equal(page.items.length, 1);
  assert.ok(page._pagination.total >= 3);
  const ann = await hub.token('ann');
  await expectStatus(await hub.api('/hub/api/groups', ann), 403);
  await expectStatus(await hub.api('/hub/api/groups/lab', ann), 403);
  await expectStatus(await hub.api('/hub/api/groups/lab', admin, { method: 'DELETE' }), 204);
  await expectStatus(await hub.api('/hub/api/groups/lab', admin), 404, /No such group: lab/);
});

test('services and proxy: services keyed by name, proxy table with pagination, POST/PATCH', async () => {
  const services = (await expectStatus(await hub.api('/hub/api/services', admin), 200)) as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(services), ['announce']);
  assert.equal(services['announce']?.['prefix'], '/services/announce/');
  await expectStatus(await hub.api('/hub/api/services/announce', admin), 200);
  await expectStatus(await hub.api('/hub/api/services/nope', admin), 404, /No such service: nope/);
  await expectStatus(await hub.api('/hub/api/services', await hub.token('ann')), 403);

  await expectStatus(await hub.api('/hub/api/users/ann/server', admin, { method: 'POST' }), 201);
  const table = (await expectStatus(await hub.api('/hub/api/proxy', admin), 200)) as Record<string, { routespec: string; target: string; data: Record<string, unknown> }>;
  const route = table['/user/ann/'];
  assert.ok(route, JSON.stringify(table));
  assert.equal(route.data['user'], 'ann');
  assert.equal(route.data['server_name'], '');
  const paged = (await json(await hub.api('/hub/api/proxy?limit=1', admin, { headers: { accept: 'application/jupyterhub-pagination+json' } }))) as { items: Record<string, unknown> };
  assert.equal(Object.keys(paged.items).length, 1);
  await expectStatus(await hub.api('/hub/api/proxy', admin, { method: 'POST' }), 200);
  await expectStatus(await hub.api('/hub/api/proxy', admin, { method: 'PATCH' }), 400, /need JSON body/);
  await expectStatus(await hub.api('/hub/api/proxy', admin, { method: 'PATCH', json: { api_url: 'http://127.0.0.1:1', auth_token: 'x' } }), 200);
  await expectStatus(await hub.api('/hub/api/proxy', await hub.token('ann')), 403);
});

test('servers: default and named, state filters, limits, remove, progress, delete user stops servers', async () => {
  const ben = await hub.token('ben');
  await expectStatus(await hub.api('/hub/api/users/ben/server', ben, { method: 'POST' }), 201);
  await expectStatus(await hub.api('/hub/api/users/ben/server', ben, { method: 'POST' }), 400, /ben is already running/);
  // JSON body with a form content type, as tornado clients send it.
  const named = await hub.api('/hub/api/users/ben/servers/lab', ben, { method: 'POST', body: JSON.stringify({ size: 'small' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  await expectStatus(named, 201);
  await expectStatus(await hub.api('/hub/api/users/ben/servers/two', ben, { method: 'POST' }), 201);
  await expectStatus(await hub.api('/hub/api/users/ben/servers/three', ben, { method: 'POST' }), 400, /maximum of 2 named servers/);
  const model = (await json(await hub.api('/hub/api/users/ben', ben))) as { server: string; servers: Record<string, Record<string, unknown>> };
  assert.equal(model.server, '/user/ben/');
  assert.deepEqual(Object.keys(model.servers).sort(), ['', 'lab', 'two']);
  assert.deepEqual(model.servers['lab']?.['user_options'], { size: 'small' });
  assert.equal(model.servers['lab']?.['url'], '/user/ben/lab/');
  assert.equal(model.servers['lab']?.['ready'], true);
  const through = await fetch(`${hub.url}/user/ben/lab/api/status`);
  assert.equal(((await through.json()) as { server: string }).server, '/user/ben/lab/', 'the proxy routes the named server');

  const ready = (await json(await hub.api('/hub/api/users?state=ready', admin))) as Array<{ name: string }>;
  assert.deepEqual(ready.map((u) => u.name).sort(), ['ann', 'ben']);
  const inactive = (await json(await hub.api('/hub/api/users?state=inactive', admin))) as Array<{ name: string }>;
  assert.ok(!inactive.some((u) => u.name === 'ben'));

  const progress = await hub.api('/hub/api/users/ben/servers/lab/progress', ben);
  assert.equal(progress.headers.get('content-type'), 'text/event-stream');
  assert.match(await progress.text(), /"ready":true/);
  await expectStatus(await hub.api('/hub/api/users/ben/servers/nope/progress', ben), 404);

  await expectStatus(await hub.api('/hub/api/users/ben/servers/two', ben, { method: 'DELETE', json: { remove: true } }), 204);
  await expectStatus(await hub.api('/hub/api/users/ben/servers/', ben, { method: 'DELETE', json: { remove: true } }), 400, /Cannot delete the default server/);
  await expectStatus(await hub.api('/hub/api/users/ben/servers/lab', ben, { method: 'DELETE' }), 204);
  const stopped = (await json(await hub.api('/hub/api/users/ben?include_stopped_servers', ben))) as { servers: Record<string, Record<string, unknown>> };
  assert.deepEqual(Object.keys(stopped.servers).sort(), ['', 'lab'], 'removed servers are gone, stopped ones remain');
  assert.equal(stopped.servers['lab']?.['stopped'], true);
  await expectStatus(await hub.api('/hub/api/users/ben/servers/ghost', ben, { method: 'DELETE' }), 404);
  await expectStatus(await hub.api('/hub/api/users/ben/servers/lab', await hub.token('ann'), { method: 'POST' }), 404);

  const before = spawner.running;
  await expectStatus(await hub.api('/hub/api/users/ben', admin, { method: 'DELETE' }), 204);
  assert.equal(spawner.running, before - 1, 'deleting a user stops their server');
  assert.equal(hub.handle.routes.match('/user/ben/'), undefined);
});

test('bodies, deprecated endpoints and the token lookup', async () => {
  const bad = await hub.api('/hub/api/users', admin, { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } });
  await expectStatus(bad, 400, /Invalid JSON in body of request/);
  const noType = await hub.api('/hub/api/users/ivy', admin, { method: 'POST', body: '{"admin": false}' });
  await expectStatus(noType, 201);
  const ivy = await hub.token('ivy');
  const owner = (await expectStatus(await hub.api(`/hub/api/authorizations/token/${ivy}`, admin), 200)) as { name: string };
  assert.equal(owner.name, 'ivy');
  await expectStatus(await hub.api('/hub/api/authorizations/token/0123456789abcdef0123456789abcdef', admin), 404);
  await expectStatus(await hub.api('/hub/api/authorizations/token', admin, { method: 'POST', json: {} }), 404, /Deprecated endpoint/);
});

test('shutdown: 400 on a bad flag, 202 and the hub closes', async () => {
  const other = await startApiHub({}, new InProcessSpawner());
  try {
    const token = await other.token('boss', undefined, { admin: true });
    await expectStatus(await other.api('/hub/api/shutdown', token, { method: 'POST', json: { proxy: 'yes' } }), 400, /proxy must be true or false/);
    await expectStatus(await other.api('/hub/api/shutdown', await other.token('minion'), { method: 'POST' }), 403);
    assert.deepEqual(await expectStatus(await other.api('/hub/api/shutdown', token, { method: 'POST', json: { servers: true } }), 202), { message: 'Shutting down Hub' });
    await other.handle.closed;
    await assert.rejects(fetch(`${other.url}/hub/api/`));
  } finally {
    await other.close();
  }
});

test('metrics (read:metrics) with JupyterHub metric names, and /hub/health', async () => {
  await expectStatus(await hub.api('/hub/metrics', await hub.token('ann')), 403, /read:metrics/);
  const response = await hub.api('/hub/metrics', admin);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  assert.match(text, /^jupyterhub_total_users \d+$/m);
  assert.match(text, /^jupyterhub_running_servers \d+$/m);
  assert.match(text, /^jupyterhub_server_spawn_duration_seconds_count\{status="success"\} [1-9]\d*$/m);
  assert.equal((await hub.api('/hub/api/metrics', admin)).status, 200);
  const health = await fetch(`${hub.url}/hub/health`);
  assert.equal(health.status, 200);
  assert.equal(await health.text(), '');
});
