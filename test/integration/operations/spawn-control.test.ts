// Spawn control: hub.concurrent_spawn_limit, hub.active_server_limit and hub.user_spawn_interval
// answer 429 with Retry-After; spawner.port_range, pre_spawn_hook / post_stop_hook and the
// notebook-directory clean-up guards with the real local spawner and a stand-in server.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { chown } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { cleanupNotebookDir } from '../../../src/spawner/notebook-dir-cleanup.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { InProcessSpawner } from '../hub/fake-spawner.js';
import { startApiHub, type ApiHub } from '../hub/api-hub.js';
import { standInServerCmd } from './stand-in-server.js';

describe('spawn control', { timeout: 60_000 }, () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  const hubWith = async (settings: Record<string, unknown>, spawner?: InProcessSpawner): Promise<ApiHub> => {
    const hub = await startApiHub(settings, spawner);
    cleanups.push(() => hub.close());
    return hub;
  };

  it('concurrent_spawn_limit answers 429 with Retry-After while the slot is taken', async () => {
    const spawner = new InProcessSpawner();
    spawner.startDelayMs = 1500;
    const hub = await hubWith({ 'hub.concurrent_spawn_limit': 1 }, spawner);
    const admin = await hub.token('admin', undefined, { admin: true });
    await hub.api('/hub/api/users', admin, { method: 'POST', json: { usernames: ['ann', 'bob'] } });
    const first = hub.api('/hub/api/users/ann/server', admin, { method: 'POST' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await hub.api('/hub/api/users/bob/server', admin, { method: 'POST' });
    assert.equal(second.status, 429);
    assert.equal(second.headers.get('retry-after'), '30');
    assert.equal((await first).status, 201);
    assert.equal((await hub.api('/hub/api/users/bob/server', admin, { method: 'POST' })).status, 201, 'the slot is free again');
  });

  it('active_server_limit and user_spawn_interval answer 429 with Retry-After', async () => {
    const hub = await hubWith({ 'hub.active_server_limit': 1, 'hub.user_spawn_interval': 60 }, new InProcessSpawner());
    const admin = await hub.token('admin', undefined, { admin: true });
    await hub.api('/hub/api/users', admin, { method: 'POST', json: { usernames: ['cat', 'dan'] } });
    assert.equal((await hub.api('/hub/api/users/cat/server', admin, { method: 'POST' })).status, 201);
    const full = await hub.api('/hub/api/users/dan/server', admin, { method: 'POST' });
    assert.equal(full.status, 429);
    assert.match(((await full.json()) as { message: string }).message, /Active user limit exceeded/);
    assert.equal((await hub.api('/hub/api/users/cat/server', admin, { method: 'DELETE' })).status, 204);
    const again = await hub.api('/hub/api/users/cat/server', admin, { method: 'POST' });
    assert.equal(again.status, 429, 'cat started moments ago');
    const wait = Number(again.headers.get('retry-after'));
    assert.ok(wait > 50 && wait <= 60, `Retry-After ${wait}`);
    assert.equal((await hub.api('/hub/api/users/dan/server', admin, { method: 'POST' })).status, 201, 'another user is not throttled');
  });

  describe('with the local spawner', () => {
    let user: OsUser;
    it('takes ports from port_range and runs the hooks as root with a defined environment', async () => {
      user = await createOsUser();
      cleanups.push(() => removeOsUser(user));
      const dir = makeTempDir('bulwark-hooks-');
      cleanups.push(() => dir.remove());
      const record = (event: string) => ['/bin/sh', '-c', `echo "${event} $(id -u) $BULWARK_USER $BULWARK_UID $BULWARK_HOME $BULWARK_HOOK" >> ${dir.path}/hooks.log`];
      const hub = await hubWith({
        'spawner.cmd': standInServerCmd,
        'spawner.port_range': [39100, 39102],
        'spawner.pre_spawn_hook': record('pre'),
        'spawner.post_stop_hook': record('post'),
      });
      const admin = await hub.token('admin', undefined, { admin: true });
      await hub.api(`/hub/api/users/${user.name}`, admin, { method: 'POST' });
      assert.equal((await hub.api(`/hub/api/users/${user.name}/server`, admin, { method: 'POST' })).status, 201);
      const model = (await (await hub.api(`/hub/api/users/${user.name}`, admin)).json()) as { servers: Record<string, { state: { port: number } }> };
      const port = model.servers['']?.state.port ?? 0;
      assert.ok(port >= 39100 && port <= 39102, `port ${port} is from the range`);
      assert.equal((await hub.api(`/hub/api/users/${user.name}/server`, admin, { method: 'DELETE' })).status, 204);
      const log = readFileSync(`${dir.path}/hooks.log`, 'utf8').trim().split('\n');
      assert.deepEqual(log, [
        `pre 0 ${user.name} ${user.uid} ${user.home} pre_spawn`,
        `post 0 ${user.name} ${user.uid} ${user.home} post_stop`,
      ]);
    });

    it('a failing pre_spawn_hook fails the spawn with its message', async () => {
      const hub = await hubWith({ 'spawner.cmd': standInServerCmd, 'spawner.pre_spawn_hook': ['/bin/sh', '-c', 'echo quota exceeded for $BULWARK_USER >&2; exit 3'] });
      const admin = await hub.token('admin', undefined, { admin: true });
      await hub.api(`/hub/api/users/${user.name}`, admin, { method: 'POST' });
      const started = await hub.api(`/hub/api/users/${user.name}/server`, admin, { method: 'POST' });
      assert.equal(started.status, 500);
      assert.match(((await started.json()) as { message: string }).message, new RegExp(`pre_spawn_hook failed: exit code 3: quota exceeded for ${user.name}`));
    });

    it('cleans up a named server\'s notebook directory, never /, the home, a symlink or a shared directory', async () => {
      const template = '/tmp/bulwark-nb-{username}-{servername}';
      const target = `/tmp/bulwark-nb-${user.name}-lab`;
      mkdirSync(target);
      await chown(target, user.uid, user.gid);
      assert.deepEqual(await cleanupNotebookDir(template, user.name, 'lab'), { removed: target });
      assert.equal(existsSync(target), false);
      const link = `/tmp/bulwark-nb-${user.name}-link`;
      symlinkSync(user.home, link);
      cleanups.push(() => rmSync(link, { force: true }));
      const viaLink = await cleanupNotebookDir(template, user.name, 'link');
      assert.ok('refused' in viaLink && /symlink/.test(viaLink.refused), JSON.stringify(viaLink));
      assert.ok(existsSync(user.home), 'the home behind the symlink is untouched');
      for (const [tpl, why] of [
        ['/', /no \{servername\}/],
        ['{servername}/..', /home directory/],
        ['/{servername}/../', /root directory/],
        ['~', /no \{servername\}/],
        [null, /not set/],
      ] as const) {
        const outcome = await cleanupNotebookDir(tpl, user.name, 'x');
        assert.ok('refused' in outcome, `${String(tpl)} refused`);
        assert.match(outcome.refused, why);
      }
      assert.ok(existsSync(user.home));
    });
  });
});
