import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGroupStore, createRoleBook, createSessionStore, createTokenStore, createUserStore, systemClock } from '../../identity/index.js';
import type { AuditLog } from '../../log/index.js';
import { openDatabase, upgradeSchema } from '../../storage/index.js';
import { createShareStore } from '../api/share-store.js';
import { createOAuthStore } from '../oauth/oauth-store.js';
import type { ServiceRegistry } from '../services/service-registry.js';
import { identify } from './identify.js';

/** Audit events are not what this test is about. */
const audit: AuditLog = { record: async () => undefined, list: async () => [] };
const by = { name: null };

test('effective scopes follow group membership and shares from one request to the next (nothing stale is remembered)', async () => {
  const database = openDatabase({ dbUrl: 'sqlite:///:memory:', dataDir: '/nonexistent' });
  try {
    await upgradeSchema(database);
    const db = database.db;
    const users = createUserStore({ db, audit, clock: systemClock });
    const tokens = createTokenStore({ db, users, audit, clock: systemClock });
    const groups = createGroupStore({ db, audit });
    const shares = createShareStore(database);
    const deps = {
      tokens,
      sessions: createSessionStore({ db, users, clock: systemClock }),
      oauth: createOAuthStore({ db, clock: systemClock }),
      users,
      roles: createRoleBook([{ name: 'readers', scopes: ['read:users'], groups: ['team'] }]),
      serviceRegistry: { authenticate: () => undefined } as unknown as ServiceRegistry,
      shares,
    };
    const alice = await users.create({ name: 'alice', authorized: true }, by);
    const bob = await users.create({ name: 'bob', authorized: true }, by);
    const { token } = await tokens.create({ owner: alice }, by);
    const headers = { authorization: `token ${token}` };
    const scopes = async () => (await identify(headers, deps))?.scopes ?? new Set<string>();

    assert.equal((await scopes()).has('read:users'), false);
    await groups.create('team', ['alice'], by);
    assert.equal((await scopes()).has('read:users'), true, "a group's role applies to the next request");
    assert.deepEqual((await users.getWithGroups('alice'))?.groups, ['team']);
    await groups.removeMembers('team', ['alice'], by);
    assert.equal((await scopes()).has('read:users'), false, 'leaving the group takes the role away at once');
    assert.deepEqual((await users.getWithGroups('alice'))?.groups, []);
    assert.equal(await users.getWithGroups('nobody'), undefined);

    const server = await db
      .insertInto('servers')
      .values({ user_id: bob.id, name: '', state: 'running', url: null, spawner_state: null, user_options: '{}', started_at: null, last_activity: null, failure: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await shares.grant(server.id, { kind: 'user', id: alice.id }, ['access:servers!server=bob/'], new Date().toISOString());
    assert.equal((await scopes()).has('access:servers!server=bob/'), true, 'a share applies to the next request');
    await shares.revoke(server.id, { kind: 'user', id: alice.id });
    assert.equal((await scopes()).has('access:servers!server=bob/'), false, 'a revoked share is gone at once');

    await tokens.revoke(`a${(await tokens.list('alice'))[0]?.id ?? 0}`, by);
    assert.equal(await identify(headers, deps), undefined, 'a revoked token identifies nobody');
  } finally {
    await database.close();
  }
});
