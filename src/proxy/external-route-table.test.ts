import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../log/index.js';
import type { ChpApiClient } from './chp-api-client.js';
import { createExternalRouteTable, isHubOwnedRoute } from './external-route-table.js';
import type { ChpRouteJson } from './route-json.js';

/** An in-memory CHP API: the routes it holds, and a switch to make calls fail. */
function fakeProxy() {
  const routes = new Map<string, ChpRouteJson>();
  const state = { failures: 0, calls: 0 };
  const maybeFail = () => {
    state.calls++;
    if (state.failures > 0) {
      state.failures--;
      throw new Error('connection refused');
    }
  };
  const client: ChpApiClient = {
    async list() {
      maybeFail();
      return Object.fromEntries(routes);
    },
    async add(path, target, data) {
      maybeFail();
      routes.set(path, { ...data, target, last_activity: new Date(0).toISOString() });
    },
    async remove(path) {
      maybeFail();
      routes.delete(path);
    },
  };
  return { client, routes, state };
}

describe('createExternalRouteTable', () => {
  it('changes the mirror at once and pushes to the proxy in the background', async () => {
    const proxy = fakeProxy();
    const table = createExternalRouteTable({ client: proxy.client, logger: silentLogger() });
    table.add('/user/alice/', 'http://127.0.0.1:1', { user: 'alice', server_name: '' });
    assert.equal(table.match('/user/alice/tree')?.target, 'http://127.0.0.1:1');
    await table.flush();
    assert.deepEqual(proxy.routes.get('/user/alice')?.['jupyterhub'], true);
    table.remove('/user/alice');
    await table.flush();
    assert.equal(proxy.routes.has('/user/alice'), false);
  });

  it('retries a failed push', async () => {
    const proxy = fakeProxy();
    const table = createExternalRouteTable({ client: proxy.client, logger: silentLogger(), retryDelayMs: 1 });
    proxy.state.failures = 2;
    table.add('/user/bob', 'http://127.0.0.1:2', { user: 'bob', server_name: '' });
    await table.flush();
    assert.equal(proxy.routes.get('/user/bob')?.target, 'http://127.0.0.1:2');
  });

  it('sync adds missing routes, fixes targets and deletes only stale hub routes', async () => {
    const proxy = fakeProxy();
    const table = createExternalRouteTable({ client: proxy.client, logger: silentLogger(), attempts: 1 });
    proxy.state.failures = 100;
    table.add('/', 'http://127.0.0.1:8081', { hub: true });
    table.add('/user/alice', 'http://127.0.0.1:1', { user: 'alice', server_name: '' });
    await table.flush();
    proxy.state.failures = 0;
    proxy.routes.set('/user/gone', { target: 'http://127.0.0.1:9', user: 'gone', server_name: '', last_activity: '' });
    proxy.routes.set('/other', { target: 'http://127.0.0.1:7', last_activity: '' });
    const result = await table.sync();
    assert.deepEqual(result.added.sort(), ['/', '/user/alice']);
    assert.deepEqual(result.removed, ['/user/gone']);
    assert.ok(proxy.routes.has('/other'), 'a route the hub did not add is left alone');
    assert.deepEqual(await table.sync(), { added: [], removed: [] });
  });

  it('reports a proxy that cannot be reached instead of throwing', async () => {
    const proxy = fakeProxy();
    proxy.state.failures = 1;
    const table = createExternalRouteTable({ client: proxy.client, logger: silentLogger() });
    const result = await table.sync();
    assert.ok(result.error instanceof Error);
  });
});

describe('isHubOwnedRoute', () => {
  it('recognises the marks JupyterHub and Bulwark put on their routes', () => {
    assert.equal(isHubOwnedRoute({ jupyterhub: true }), true);
    assert.equal(isHubOwnedRoute({ hub: true }), true);
    assert.equal(isHubOwnedRoute({ user: 'a', server_name: '' }), true);
    assert.equal(isHubOwnedRoute({ user: 'a' }), false);
    assert.equal(isHubOwnedRoute({}), false);
  });
});
