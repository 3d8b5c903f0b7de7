// Expired share codes are deleted from the database when the hub starts (and hourly after that),
// as JupyterHub purges its expiring rows; live codes stay and keep working through the REST API.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { cliActor } from '../../../src/log/index.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const dataDir = makeTempDir('bulwark-share-purge-');
const hubs: TestHub[] = [];
after(async () => {
  for (const hub of hubs) await hub.close();
  dataDir.remove();
});

test('a restarted hub purges expired share codes and keeps live ones', async () => {
  const first = await startTestHub({ 'hub.data_dir': dataDir.path });
  hubs.push(first);
  const { users, tokens, database } = first.handle.services;
  const owner = await users.create({ name: 'purgeowner', admin: true, authorized: true }, cliActor);
  const token = (await tokens.create({ owner, note: 'share-code purge test' }, cliActor)).token;
  const api = (hub: TestHub, path: string, method = 'GET', json?: unknown) =>
    fetch(`${hub.url}/hub/api${path}`, {
      method,
      headers: { authorization: `token ${token}`, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
  // A server row that never ran: codes need a server, not a running one (nor an OS account).
  const server = await database.db
    .insertInto('servers')
    .values({ user_id: owner.id, name: '', state: 'stopped', url: null, spawner_state: null, user_options: '{}', started_at: null, last_activity: null, failure: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const serverId = server.id;

  const issue = async () => {
    const response = await api(first, '/share-codes/purgeowner/', 'POST', { expires_in: 3600 });
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(response.status, 200, JSON.stringify(body));
    return String(body['id']);
  };
  const expired = await issue();
  const live = await issue();
  const rowId = (id: string) => Number(id.slice(3));
  await database.db.updateTable('hub_share_codes').set({ expires_at: new Date(Date.now() - 60_000).toISOString() }).where('id', '=', rowId(expired)).execute();
  const rows = async (db: typeof database.db) => (await db.selectFrom('hub_share_codes').select('id').where('server_id', '=', serverId).orderBy('id').execute()).map((row) => `sc_${row.id}`);
  assert.deepEqual(await rows(database.db), [expired, live], 'both rows are stored until a purge');
  hubs.pop();
  await first.close();

  const second = await startTestHub({ 'hub.data_dir': dataDir.path });
  hubs.push(second);
  // The purge runs once the hub listens; wait for it rather than assume it is done already.
  const db = second.handle.services.database.db;
  const deadline = Date.now() + 10_000;
  while ((await rows(db)).length > 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(await rows(db), [live], 'the expired row is gone, the live one stays');
  const listed = (await (await api(second, '/share-codes/purgeowner/')).json()) as { items: Array<{ id: string }> };
  assert.deepEqual(listed.items.map((item) => item.id), [live], 'the REST API lists the live code');
});
