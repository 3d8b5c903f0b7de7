import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUserStore, systemClock } from '../../identity/index.js';
import { createLogger, type AuditLog } from '../../log/index.js';
import { openDatabase, upgradeSchema } from '../../storage/index.js';
import { createShareCodePurge } from './share-code-purge.js';
import { createShareStore } from './share-store.js';

/** Audit events are not what this test is about. */
const audit: AuditLog = { record: async () => undefined, list: async () => [] };

test('expired share codes are refused, revoked only by id, and purged (at start of the hourly purge) while live ones stay', async () => {
  const database = openDatabase({ dbUrl: 'sqlite:///:memory:', dataDir: '/nonexistent' });
  try {
    await upgradeSchema(database);
    const db = database.db;
    const owner = await createUserStore({ db, audit, clock: systemClock }).create({ name: 'olga', authorized: true }, { name: null });
    const server = await db
      .insertInto('servers')
      .values({ user_id: owner.id, name: '', state: 'running', url: null, spawner_state: null, user_options: '{}', started_at: null, last_activity: null, failure: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const shares = createShareStore(database);
    const { codes } = shares;
    const at = (iso: string) => new Date(iso).toISOString();
    const scopes = ['access:servers!server=olga/'];
    const expiring = await codes.issue(server.id, scopes, at('2030-01-01T01:00:00Z'), at('2030-01-01T00:00:00Z'));
    const later = await codes.issue(server.id, scopes, at('2030-01-02T00:00:00Z'), at('2030-01-01T00:00:00Z'));
    const before = at('2030-01-01T00:59:59Z');
    const after = at('2030-01-01T01:00:00Z');

    assert.equal((await codes.find(expiring.code, before))?.id, expiring.record.id);
    assert.equal(await codes.find(expiring.code, after), undefined, 'a code is dead from its expiry on');
    assert.equal(await codes.exchange(expiring.code, after), undefined);
    assert.deepEqual((await codes.list({ serverId: server.id }, after)).map((code) => code.id), [later.record.id]);
    assert.equal(await codes.revoke(server.id, { code: expiring.code }, after), 0, 'an expired code is not found by its code');

    const purge = createShareCodePurge({ shares, clock: () => new Date(after), logger: createLogger({ level: 'silent', pretty: false }) });
    try {
      await purge.start();
    } finally {
      purge.stop();
    }
    const left = await db.selectFrom('hub_share_codes').select('id').execute();
    assert.deepEqual(left.map((row) => `sc_${row.id}`), [later.record.id], 'the expired row is gone, the live one stays');
    assert.equal(await codes.purgeExpired(after), 0);
    assert.equal(await codes.revoke(server.id, { id: expiring.record.id }, after), 0);
    assert.equal(await codes.revoke(server.id, { id: later.record.id }, after), 1);
  } finally {
    await database.close();
  }
});
