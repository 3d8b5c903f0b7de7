// The built-in idle culler with short timeouts: an idle server is stopped, a server with proxy
// traffic is kept, max_age stops even busy servers, and cull_users deletes inactive users.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApiHub } from './api-hub.js';
import { InProcessSpawner } from './fake-spawner.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('idle servers are culled, busy ones kept; inactive users are deleted with cull_users', async () => {
  const spawner = new InProcessSpawner();
  const hub = await startApiHub({ 'culler.enabled': true, 'culler.timeout': 2, 'culler.every': 0.25, 'culler.cull_users': true }, spawner);
  try {
    const admin = await hub.token('root', undefined, { admin: true });
    for (const name of ['idle', 'busy']) {
      await hub.api('/hub/api/users', admin, { method: 'POST', json: { usernames: [name] } });
      assert.equal((await hub.api(`/hub/api/users/${name}/server`, admin, { method: 'POST' })).status, 201);
    }
    const deadline = Date.now() + 3500;
    while (Date.now() < deadline) {
      assert.equal((await fetch(`${hub.url}/user/busy/lab`)).status, 200, 'traffic through the proxy');
      await sleep(300);
    }
    const ready = (await (await hub.api('/hub/api/users?state=ready', admin)).json()) as Array<{ name: string }>;
    assert.deepEqual(ready.map((u) => u.name), ['busy'], 'the idle server was culled, the busy one kept');
    const busy = (await (await hub.api('/hub/api/users/busy', admin)).json()) as { last_activity: string | null };
    assert.ok(busy.last_activity && Date.now() - Date.parse(busy.last_activity) < 2500, 'proxy activity reaches the user model');
    const records = await hub.handle.services.audit.list({ limit: 50 });
    assert.ok(records.some((r) => r.action === 'server.stop' && r.target === 'idle' && r.actor === 'idle-culler'));
    // `idle` has no server and no recent activity: cull_users deletes it; the admin stays.
    await sleep(600);
    const names = ((await (await hub.api('/hub/api/users', admin)).json()) as Array<{ name: string }>).map((u) => u.name);
    assert.ok(!names.includes('idle'), names.join());
    assert.ok(names.includes('root'));
  } finally {
    await hub.close();
  }
});

test('max_age stops a server however busy it is', async () => {
  const hub = await startApiHub({ 'culler.enabled': true, 'culler.timeout': 60, 'culler.every': 0.2, 'culler.max_age': 1 }, new InProcessSpawner());
  try {
    const admin = await hub.token('root', undefined, { admin: true });
    assert.equal((await hub.api('/hub/api/users/root/server', admin, { method: 'POST' })).status, 201);
    for (let i = 0; i < 8; i++) {
      await fetch(`${hub.url}/user/root/`);
      await sleep(250);
    }
    const model = (await (await hub.api('/hub/api/users/root', admin)).json()) as { server: string | null };
    assert.equal(model.server, null);
  } finally {
    await hub.close();
  }
});
