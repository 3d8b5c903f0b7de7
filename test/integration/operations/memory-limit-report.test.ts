// A memory limit the kernel enforces, and a hub that tells the user why: a notebook kernel that
// allocates past spawner.mem_limit is OOM-killed inside the server's cgroup (the server lives on,
// the hub shows the hit), and a server that itself exceeds it is reported as
// "stopped: memory limit (…) exceeded" on the home page, in the progress stream and to admins.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cliActor } from '../../../src/log/index.js';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { openKernelChannel } from '../proxy/kernel-channel.js';
import { eventually } from './hub-process.js';
import { standInServerCmd } from './stand-in-server.js';

interface LimitState {
  limits?: { memory?: { value: string; mechanism: string; cgroup: string | null; oomKills?: number } };
}

describe('memory limit kills and reports', { timeout: 120_000 }, () => {
  const cleanups: Array<() => Promise<void>> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function setUp(settings: Record<string, unknown>): Promise<{ hub: TestHub; user: OsUser; token: string }> {
    const user = await createOsUser();
    cleanups.push(() => removeOsUser(user));
    const hub = await startTestHub({ 'spawner.poll_interval': 1, ...settings });
    cleanups.push(() => hub.close());
    const owner = await hub.handle.services.users.create({ name: user.name, password: 'memory-password-1', authorized: true }, cliActor);
    const { token } = await hub.handle.services.tokens.create({ owner, note: 'test' }, cliActor);
    const started = await fetch(`${hub.url}/hub/api/users/${user.name}/server`, { method: 'POST', headers: { authorization: `token ${token}` } });
    assert.ok([201, 202].includes(started.status), await started.text());
    const view = await hub.handle.servers.waitForSpawn(owner, '', 60_000);
    assert.equal(view?.ready, true, view?.failure ?? 'still starting');
    return { hub, user, token };
  }

  it('a kernel allocating past the limit is killed by the kernel OOM killer and the hub shows it', async () => {
    const { hub, user, token } = await setUp({ 'spawner.mem_limit': '400M' });
    const owner = await hub.handle.services.users.require(user.name);
    assert.equal(hub.handle.servers.view(owner)?.state?.limits?.memory?.mechanism, 'cgroup-v1');
    const kernel = await openKernelChannel(hub.url, `/user/${user.name}/`, token);
    cleanups.push(() => kernel.close().catch(() => undefined));
    await kernel.execute('b = bytearray(1024 * 1024 * 1024)', 8_000).catch(() => 'the kernel died mid-cell');
    const notice = await eventually(async () => hub.handle.servers.view(owner)?.notice ?? undefined, 15_000, 'the memory limit notice');
    assert.match(notice, /^memory limit \(400M\) exceeded: the kernel killed a process of this server/);
    assert.equal(hub.handle.servers.view(owner)?.ready, true, 'the server itself survives a kernel killed by the limit');

    const admin = await hub.handle.services.users.create({ name: `${user.name}a`, admin: true, authorized: true }, cliActor);
    const { token: adminToken } = await hub.handle.services.tokens.create({ owner: admin, note: 'test' }, cliActor);
    const model = (await (await fetch(`${hub.url}/hub/api/users/${user.name}`, { headers: { authorization: `token ${adminToken}` } })).json()) as {
      servers: Record<string, { state: LimitState }>;
    };
    const memory = model.servers['']?.state.limits?.memory;
    assert.equal(memory?.value, '400M');
    assert.ok((memory?.oomKills ?? 0) >= 1, 'admins see the OOM kill count in the server state');
    const browser = new BrowserLikeClient(hub.url);
    await browser.submitForm('/hub/login', '/hub/login', { username: user.name, password: 'memory-password-1' });
    const home = await browser.request('/hub/home');
    assert.match(home.body, /id="limit-notice">memory limit \(400M\) exceeded/);
  });

  it('a server killed by its memory limit is reported as "stopped: memory limit (…) exceeded"', async () => {
    const { hub, user, token } = await setUp({ 'spawner.mem_limit': '128M', 'spawner.cmd': standInServerCmd });
    const owner = await hub.handle.services.users.require(user.name);
    const url = hub.handle.servers.view(owner)?.state?.url ?? '';
    await fetch(`${url}allocate?mb=512`).catch(() => undefined);
    const reason = await eventually(async () => hub.handle.servers.stopReason(owner) ?? undefined, 15_000, 'the stop reason');
    assert.equal(reason, 'stopped: memory limit (128M) exceeded');
    assert.equal(hub.handle.servers.view(owner), undefined, 'the server is no longer active');
    const rest = (await (await fetch(`${hub.url}/hub/api/users/${user.name}?include_stopped_servers=1`, { headers: { authorization: `token ${token}` } })).json()) as {
      servers: Record<string, { stopped: boolean; bulwark_stop_reason: string | null }>;
    };
    assert.equal(rest.servers['']?.stopped, true);
    assert.equal(rest.servers['']?.bulwark_stop_reason, 'stopped: memory limit (128M) exceeded', 'the REST model says why, to the owner');

    const progress = await fetch(`${hub.url}/hub/api/users/${user.name}/server/progress`, { headers: { authorization: `token ${token}` } });
    assert.equal(progress.status, 200);
    assert.match(await progress.text(), /"failed":true,"message":"stopped: memory limit \(128M\) exceeded"/);
    const browser = new BrowserLikeClient(hub.url);
    await browser.submitForm('/hub/login', '/hub/login', { username: user.name, password: 'memory-password-1' });
    const home = await browser.request('/hub/home');
    assert.match(home.body, /Your server stopped: memory limit \(128M\) exceeded\./);
  });
});
