// Property-based robustness: a seeded generator throws malformed paths, bodies, content types and
// tokens at every endpoint of the generated OpenAPI document. Whatever comes in, the hub answers
// below 500, errors are JSON {status, message}, and it keeps serving. BULWARK_FUZZ_SEED replays a run.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startApiHub, type ApiHub } from './api-hub.js';
import { InProcessSpawner } from './fake-spawner.js';

/** mulberry32: a tiny seeded PRNG, so a failure can be replayed from its seed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}
type Gen = ReturnType<typeof generator>;

const SEGMENTS = ['', '.', '..', '%2e%2e', '%2F', '%00', '%ff', '%', 'a%zz', 'ann', 'root', 'no-such', ' ', '%20', 'ü', '😀', 'x'.repeat(300), '{name}', "'; drop table users;--", '<script>', 'a7', 'a999999999999999999999', '-1', 'null'];

function randomString(gen: Gen): string {
  const length = gen.int(12);
  return Array.from({ length }, () => String.fromCodePoint(gen.pick([gen.int(128), 0x80 + gen.int(0x700), 0x1f600 + gen.int(50)]))).join('');
}

function randomJson(gen: Gen, depth = 0): unknown {
  switch (gen.int(depth > 3 ? 5 : 8)) {
    case 0:
      return null;
    case 1:
      return gen.next() < 0.5;
    case 2:
      return gen.pick([0, -1, 1e308, 3.5, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1]);
    case 3:
      return randomString(gen);
    case 4:
      return gen.pick(['ann', 'admin', 'read:users', 'inherit', '', 'yes']);
    case 5:
      return Array.from({ length: gen.int(4) }, () => randomJson(gen, depth + 1));
    default: {
      const keys = ['usernames', 'admin', 'name', 'users', 'groups', 'scopes', 'roles', 'note', 'expires_in', 'remove', 'servers', 'last_activity', 'auth', 'proxy', 'api_url', '__proto__', 'constructor', randomString(gen)];
      return Object.fromEntries(Array.from({ length: gen.int(5) }, () => [gen.pick(keys), randomJson(gen, depth + 1)]));
    }
  }
}

function randomBody(gen: Gen): { body?: string; contentType?: string } {
  const contentType = gen.pick([undefined, 'application/json', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data', 'application/json; charset=latin1']);
  switch (gen.int(6)) {
    case 0:
      return { ...(contentType ? { contentType } : {}) };
    case 1:
      return { body: gen.pick(['{', '[1,', '"unterminated', '{"a":}', 'nul', '\u0000', '{"usernames": ["a"]]']), ...(contentType ? { contentType } : {}) };
    case 2:
      return { body: `${'['.repeat(5000)}${']'.repeat(5000)}`, contentType: 'application/json' };
    default:
      return { body: JSON.stringify(randomJson(gen)), ...(contentType ? { contentType } : {}) };
  }
}

let hub: ApiHub;
let tokens: string[];
let adminToken: string;
const seed = Number(process.env['BULWARK_FUZZ_SEED'] ?? Date.now() % 100000);

before(async () => {
  hub = await startApiHub({ 'hub.allow_named_servers': true }, new InProcessSpawner());
  adminToken = await hub.token('root', undefined, { admin: true });
  await hub.api('/hub/api/users', adminToken, { method: 'POST', json: { usernames: ['ann', 'ben'] } });
  tokens = [await hub.token('ann'), await hub.token('ann', ['read:users!user=ben']), adminToken];
});
after(async () => hub?.close());

test(`malformed requests at every endpoint never give a 5xx (seed ${seed})`, async () => {
  const gen = generator(seed);
  const document = (await (await fetch(`${hub.url}/hub/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => ({ path, method: method.toUpperCase() })));
  let requests = 0;
  for (const { path, method } of operations) {
    for (let round = 0; round < 12; round++) {
      const concrete = path.replace(/\{\w+\}/g, () => gen.pick(SEGMENTS)) + gen.pick(['', '?offset=x', '?limit=-5&offset=99999999999999999999', '?state=%ff', '?include_stopped_servers&sort=-', '?name_filter=%25']);
      const { body, contentType } = randomBody(gen);
      const auth = gen.pick([undefined, 'token', 'bearer x y', `token ${gen.pick(tokens)}`, `Token ${encodeURIComponent(randomString(gen))}`, `bearer ${'f'.repeat(32)}`]);
      // The admin token would really shut the hub down; that endpoint is covered elsewhere.
      if (path === '/shutdown' && auth?.includes(adminToken)) continue;
      const headers: Record<string, string> = { accept: gen.pick(['application/json', 'application/jupyterhub-pagination+json', '*/*']) };
      if (auth) headers['authorization'] = auth;
      if (contentType) headers['content-type'] = contentType;
      const url = `${hub.url}/hub/api${concrete}`;
      const response = await fetch(url, { method, headers, ...(body !== undefined && method !== 'GET' ? { body } : {}), redirect: 'manual', signal: AbortSignal.timeout(15_000) });
      const text = await response.text();
      requests++;
      const replay = `seed ${seed}: ${method} ${concrete} auth=${auth ?? '-'} type=${contentType ?? '-'} body=${(body ?? '').slice(0, 80)}`;
      assert.ok(response.status < 500, `${response.status} ${text.slice(0, 200)} — ${replay}`);
      if (response.status >= 400 && (response.headers.get('content-type') ?? '').includes('json')) {
        const error = JSON.parse(text) as { status?: number; message?: string; error?: string };
        if (path !== '/oauth2/token') assert.equal(error.status, response.status, replay);
      }
    }
  }
  assert.ok(requests > 400, `${requests} requests`);
  assert.equal((await fetch(`${hub.url}/hub/api/`)).status, 200, 'the hub still answers');
});
