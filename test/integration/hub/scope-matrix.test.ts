// Every endpoint with tokens of different strength: no credential and a token without scopes get
// 403 wherever a scope is required; an admin's models carry every field rest-api.yml's schemas
// list (User, Server, Group, Service, Token), minus the ones Bulwark documents as absent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { startApiHub, type ApiHub } from './api-hub.js';
import { InProcessSpawner } from './fake-spawner.js';

type Operation = { summary: string; 'x-scopes-any-of'?: string[] };
let hub: ApiHub;
let admin: string;

before(async () => {
  hub = await startApiHub(
    { 'hub.allow_named_servers': true, services: [{ name: 'static', url: 'http://127.0.0.1:9/', api_token: 'static-token-0123456789abcdef' }] },
    new InProcessSpawner(),
  );
  admin = await hub.token('root', undefined, { admin: true });
  await hub.api('/hub/api/users', admin, { method: 'POST', json: { usernames: ['amy'] } });
  await hub.api('/hub/api/groups/crew', admin, { method: 'POST', json: { users: ['amy'] } });
  await hub.api('/hub/api/users/amy/server', admin, { method: 'POST' });
});
after(async () => hub?.close());

test('scoped endpoints answer 403 to no credential and to a token without scopes', async () => {
  const document = (await (await fetch(`${hub.url}/hub/api/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
  const empty = await hub.token('amy', []);
  let checked = 0;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!operation['x-scopes-any-of']?.length || (path === '/shutdown' && method === 'post')) continue;
      const concrete = path.replace('{name}', 'amy').replace('{server_name}', 'lab').replace('{token_id}', 'a1').replace('{token}', 'x');
      for (const token of [undefined, empty]) {
        const response = await hub.api(`/hub/api${concrete}`, token, { method: method.toUpperCase() });
        assert.equal(response.status, 403, `${method.toUpperCase()} ${concrete} with ${token ? 'a scopeless token' : 'no credential'}: ${await response.text()}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 60, `${checked} checks`);
});

test("an admin's models have the fields of rest-api.yml's schemas", async () => {
  const reference = parse(readFileSync(new URL('../../fixtures/jupyterhub/rest-api.yml', import.meta.url), 'utf8')) as {
    components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  };
  const fields = (schema: string) => Object.keys(reference.components.schemas[schema]?.properties ?? {});
  const check = (schema: string, model: unknown, absent: string[] = []) => {
    const keys = Object.keys(model as object);
    const missing = fields(schema).filter((key) => !keys.includes(key) && !absent.includes(key));
    assert.deepEqual(missing, [], `${schema} fields missing from ${JSON.stringify(model)}`);
  };
  const user = (await (await hub.api('/hub/api/users/amy', admin)).json()) as { servers: Record<string, unknown> };
  check('User', user);
  check('Server', user.servers['']);
  check('Group', await (await hub.api('/hub/api/groups/crew', admin)).json());
  check('Service', await (await hub.api('/hub/api/services/static', admin)).json());
  const created = await (await hub.api('/hub/api/users/amy/tokens', admin, { method: 'POST', json: { note: 'shape' } })).json();
  // Tokens belong to users here; `service` is the owner key of service tokens, which live in config.
  check('NewToken', created, ['service']);
  const list = (await (await hub.api('/hub/api/users/amy/tokens', admin)).json()) as { api_tokens: unknown[] };
  check('Token', list.api_tokens[0], ['service']);
  const paged = (await (await hub.api('/hub/api/users', admin, { headers: { accept: 'application/jupyterhub-pagination+json' } })).json()) as { _pagination: unknown };
  check('PaginatedList', paged);
  check('Pagination', paged._pagination);
});
