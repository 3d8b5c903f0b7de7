// A crashed hub (SIGKILL) loses nothing: the next `bulwark hub` re-adopts every running server by
// pid + process start time + uid, restores its route, and never adopts a process whose pid was reused.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { readProcess } from '../../../src/spawner/process-table.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { findFreePort } from '../../helpers/ports.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { api, cli, eventually, startHubProcess, type HubProcess } from './hub-process.js';

const run = promisify(execFile);
const SERVERS = 10;

interface ServerModel {
  ready: boolean;
  state?: { pid: number; uid: number; processStartTime?: number };
}
interface UserModel {
  server: string | null;
  servers: Record<string, ServerModel>;
}

describe('hub crash and re-adoption', { timeout: 150_000 }, () => {
  const dir = makeTempDir('bulwark-crash-');
  const users: OsUser[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];
  let port = 0;
  let token = '';
  let hub: HubProcess | null = null;
  const pids = new Map<string, number>();

  const model = async (name: string): Promise<UserModel> => (await (await api(port, token, `/hub/api/users/${name}`)).json()) as UserModel;
  const sql = (statement: string) => run('/usr/bin/sqlite3', [`${dir.path}/data/bulwark.sqlite`, statement]);

  before(async () => {
    users.push(...(await Promise.all(Array.from({ length: SERVERS }, () => createOsUser()))));
    assert.equal((await cli(['user', 'add', 'opsadmin', '--admin', '--no-password'], dir.path)).code, 0);
    token = (await cli(['token', 'create', 'opsadmin'], dir.path)).stdout;
    port = await findFreePort();
  });
  after(async () => {
    await hub?.kill('SIGTERM');
    for (const cleanup of cleanups) await cleanup();
    await Promise.all(users.map((user) => removeOsUser(user)));
    dir.remove();
  });

  it('re-adopts all 10 servers after SIGKILL: same pids, routes back, nothing restarted', async () => {
    hub = await startHubProcess(dir.path, port, { 'spawner.cleanup_servers': 'false' });
    const created = await api(port, token, '/hub/api/users', { method: 'POST', body: JSON.stringify({ usernames: users.map((u) => u.name) }), headers: { 'content-type': 'application/json' } });
    assert.equal(created.status, 201, await created.text());
    // All ten start at once; 201 (ready) or 202 (still starting) are both fine.
    const starts = await Promise.all(users.map((u) => api(port, token, `/hub/api/users/${u.name}/server`, { method: 'POST' })));
    for (const response of starts) assert.ok([201, 202].includes(response.status), `spawn answered ${response.status}`);
    for (const user of users) {
      const server = await eventually(async () => ((await model(user.name)).servers['']?.ready ? (await model(user.name)).servers[''] : undefined), 60_000, `${user.name} ready`);
      assert.ok(server.state?.processStartTime !== undefined, 'the start time is stored with the pid');
      pids.set(user.name, server.state.pid);
    }

    assert.equal(await hub.kill('SIGKILL'), 'SIGKILL');
    for (const [name, pid] of pids) assert.ok((await readProcess(pid)) !== null, `${name}'s server survived the crash`);

    hub = await startHubProcess(dir.path, port, { 'spawner.cleanup_servers': 'false' });
    for (const user of users) {
      const after = await model(user.name);
      assert.equal(after.server, `/user/${user.name}/`, `${user.name} re-adopted`);
      assert.equal(after.servers['']?.state?.pid, pids.get(user.name), `${user.name}'s server was not restarted`);
    }
    const statuses = await Promise.all(users.map((u) => api(port, token, `/user/${u.name}/api/status`)));
    assert.deepEqual(statuses.map((r) => r.status), users.map(() => 200), 'every route is back and every server answers');
  });

  it('never adopts a reused pid: another process of the same uid, or the same pid with another start time', async () => {
    assert.ok(hub !== null);
    assert.equal(await hub.kill('SIGKILL'), 'SIGKILL');
    const [impostee, shifted, ...rest] = users as [OsUser, OsUser, ...OsUser[]];
    // A process of the same account, started later, in a session of its own (as a server would be).
    const foreign = spawn('/usr/bin/setpriv', ['--reuid', impostee.name, '--regid', String(impostee.gid), '--init-groups', '/bin/sleep', '300'], { detached: true, stdio: 'ignore' });
    cleanups.push(async () => foreign.kill('SIGKILL'));
    await eventually(async () => ((await readProcess(foreign.pid ?? 0))?.uid === impostee.uid ? true : undefined), 5000, 'the foreign process');
    const impersonated = JSON.stringify({ ...(await storedState(impostee)), pid: foreign.pid });
    await sql(`UPDATE servers SET spawner_state = '${impersonated}' WHERE user_id = (SELECT id FROM users WHERE name = '${impostee.name}')`);
    const moved = await storedState(shifted);
    await sql(`UPDATE servers SET spawner_state = '${JSON.stringify({ ...moved, processStartTime: Number(moved['processStartTime']) - 1 })}' WHERE user_id = (SELECT id FROM users WHERE name = '${shifted.name}')`);

    hub = await startHubProcess(dir.path, port, { 'spawner.cleanup_servers': 'false' });
    for (const user of [impostee, shifted]) {
      const seen = await model(user.name);
      assert.equal(seen.server, null, `${user.name}'s recorded server is not adopted`);
      const row = await sql(`SELECT state FROM servers WHERE user_id = (SELECT id FROM users WHERE name = '${user.name}')`);
      assert.equal(row.stdout.trim(), 'stopped', 'the record is cleaned up');
      const clients = await sql(`SELECT count(*) FROM oauth_clients WHERE identifier LIKE '%${user.name}%'`);
      assert.equal(clients.stdout.trim(), '0', 'its OAuth client and server token are gone');
      assert.equal((await api(port, token, `/user/${user.name}/api/status`)).status === 200, false, 'no route to it');
    }
    assert.ok((await readProcess(foreign.pid ?? 0)) !== null, 'the foreign process was left alone');
    assert.ok((await readProcess(pids.get(shifted.name) ?? 0)) !== null, 'a pid whose start time differs is never signalled');
    for (const user of rest) assert.equal((await model(user.name)).servers['']?.state?.pid, pids.get(user.name), `${user.name} still adopted`);
  });

  async function storedState(user: OsUser): Promise<Record<string, unknown>> {
    const { stdout } = await sql(`SELECT spawner_state FROM servers WHERE user_id = (SELECT id FROM users WHERE name = '${user.name}')`);
    return JSON.parse(stdout) as Record<string, unknown>;
  }
});
