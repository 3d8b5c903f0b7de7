// A hub killed (SIGKILL) while spawns are in progress orphans nothing: the server's pid, start time
// and uid are on record as soon as the process is launched, so the next hub adopts a server that
// then becomes ready (same process, route back) and stops one that never answers.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync, chownSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { readProcess } from '../../../src/spawner/process-table.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { findFreePort } from '../../helpers/ports.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { api, cli, eventually, startHubProcess, type HubProcess } from './hub-process.js';
import { standInServerCode } from './stand-in-server.js';

const run = promisify(execFile);

/** The stand-in server, held back until a file `go` appears in the account's home directory. */
const heldBackServer = `
import os, pwd, time
flag = os.path.join(pwd.getpwuid(os.getuid()).pw_dir, "go")
while not os.path.exists(flag):
    time.sleep(0.1)
${standInServerCode}`;

interface ServerModel {
  ready: boolean;
  pending: string | null;
  state?: { pid: number };
  bulwark_stop_reason?: string | null;
}

describe('hub killed mid-spawn', { timeout: 120_000 }, () => {
  const dir = makeTempDir('bulwark-midspawn-');
  let adoptee: OsUser;
  let abandoned: OsUser;
  let port = 0;
  let token = '';
  let hub: HubProcess | null = null;
  const pids: number[] = [];
  const settings = (httpTimeout: number) => ({
    'spawner.cmd': JSON.stringify(['/usr/bin/python3', '-c', heldBackServer]),
    'spawner.cleanup_servers': 'false',
    'spawner.http_timeout': String(httpTimeout),
    'spawner.start_timeout': '120',
  });

  const sql = async (statement: string) => (await run('/usr/bin/sqlite3', [`${dir.path}/data/bulwark.sqlite`, statement])).stdout.trim();
  const serverRow = (user: OsUser) => sql(`SELECT state, coalesce(json_extract(spawner_state, '$.pid'), '') FROM servers WHERE user_id = (SELECT id FROM users WHERE name = '${user.name}')`);
  const model = async (user: OsUser): Promise<ServerModel | undefined> =>
    ((await (await api(port, token, `/hub/api/users/${user.name}?include_stopped_servers=1`)).json()) as { servers: Record<string, ServerModel> }).servers[''];

  before(async () => {
    [adoptee, abandoned] = await Promise.all([createOsUser(), createOsUser()]);
    assert.equal((await cli(['user', 'add', 'opsadmin', '--admin', '--no-password'], dir.path)).code, 0);
    token = (await cli(['token', 'create', 'opsadmin'], dir.path)).stdout;
    port = await findFreePort();
  });
  after(async () => {
    await hub?.kill('SIGTERM');
    for (const pid of pids) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone, as it should be
      }
    }
    await Promise.all([adoptee, abandoned].filter((u) => u !== undefined).map((user) => removeOsUser(user)));
    dir.remove();
  });

  it('records the launched process before it is ready; the next hub adopts the one that answers and stops the other', async () => {
    hub = await startHubProcess(dir.path, port, settings(120));
    const created = await api(port, token, '/hub/api/users', { method: 'POST', body: JSON.stringify({ usernames: [adoptee.name, abandoned.name] }), headers: { 'content-type': 'application/json' } });
    assert.equal(created.status, 201, await created.text());
    // The requests wait (slow_spawn_timeout) and then die with the hub; only the recorded state matters.
    for (const user of [adoptee, abandoned]) void api(port, token, `/hub/api/users/${user.name}/server`, { method: 'POST' }).catch(() => undefined);
    for (const user of [adoptee, abandoned]) {
      const row = await eventually(async () => {
        const [state, pid] = (await serverRow(user)).split('|');
        return state === 'spawn_pending' && pid !== '' ? Number(pid) : undefined;
      }, 30_000, `${user.name}'s launched process on record`);
      assert.equal((await readProcess(row))?.uid, user.uid, 'the recorded pid is the launched server, as the user');
      pids.push(row);
    }
    const [adopteePid, abandonedPid] = pids as [number, number];

    assert.equal(await hub.kill('SIGKILL'), 'SIGKILL');
    assert.ok((await readProcess(adopteePid)) !== null && (await readProcess(abandonedPid)) !== null, 'both spawns outlive the crash');

    // The restarted hub waits 8 s (spawner.http_timeout) for an interrupted spawn to answer.
    hub = await startHubProcess(dir.path, port, settings(8));
    assert.equal((await model(adoptee))?.pending, 'spawn', 'the interrupted spawn shows as pending again');
    writeFileSync(`${adoptee.home}/go`, '');
    chownSync(`${adoptee.home}/go`, adoptee.uid, adoptee.gid);
    const adopted = await eventually(async () => ((await model(adoptee))?.ready ? await model(adoptee) : undefined), 30_000, 'the held-back server adopted');
    assert.equal(adopted.state?.pid, adopteePid, 'the same process, not a new one');
    const answer = await api(port, token, `/user/${adoptee.name}/api/status`);
    assert.equal(answer.status, 200, 'its route is in place');
    assert.equal(((await answer.json()) as { user: string }).user, adoptee.name);
    assert.equal(await serverRow(adoptee), `running|${adopteePid}`);

    await eventually(async () => ((await readProcess(abandonedPid)) === null ? true : undefined), 40_000, 'the never-ready server stopped');
    const failed = await eventually(async () => ((await serverRow(abandoned)).startsWith('failed') ? true : undefined), 10_000, 'the record marked failed');
    assert.ok(failed);
    const stopped = await model(abandoned);
    assert.equal(stopped?.ready, false);
    assert.match(stopped?.bulwark_stop_reason ?? '', /the hub restarted while this server was starting/);
    assert.equal(await sql(`SELECT count(*) FROM oauth_clients WHERE identifier LIKE '%${abandoned.name}%'`), '0', 'its OAuth client and token are gone');
  });
});
