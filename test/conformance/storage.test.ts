// One storage suite, run against every database Bulwark supports: SQLite (default) and a real
// PostgreSQL server started for this run.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/index.js';
import { isBulwarkError } from '../../src/errors/index.js';
import { createShareStore } from '../../src/hub/api/share-store.js';
import { createGroupStore } from '../../src/identity/index.js';
import { cliActor, silentLogger } from '../../src/log/index.js';
import { openServices, type CoreServices } from '../../src/server/services.js';
import { assertSchemaCurrent, openDatabase, schemaStatus, upgradeSchema } from '../../src/storage/index.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';

interface Backend {
  name: string;
  /** A db_url for a fresh, empty database (null means SQLite under the data dir). */
  freshDbUrl(): Promise<string | null>;
}

let postgres: PostgresServer | undefined;
const temp = makeTempDir('bulwark-storage-');
let sqliteCounter = 0;

const backends: Backend[] = [
  { name: 'sqlite', freshDbUrl: async () => `sqlite://${temp.path}/db-${++sqliteCounter}.sqlite` },
  {
    name: 'postgres',
    freshDbUrl: async () => {
      postgres ??= await startPostgres();
      return postgres.createDatabase();
    },
  },
];

after(() => {
  postgres?.stop();
  temp.remove();
});

/** A settable clock, so expiry can be tested without waiting. */
function testClock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let now = start;
  return { clock: () => new Date(now), advance: (seconds: number) => (now += seconds * 1000) };
}

async function open(dbUrl: string | null, clock?: () => Date): Promise<CoreServices> {
  const { config } = loadConfig({ env: {}, flags: { 'hub.data_dir': temp.path, 'hub.db_url': dbUrl } });
  return openServices(config, { logger: silentLogger(), ...(clock ? { clock } : {}) });
}

/** Every text value stored in a table, to prove secrets are not among them. */
async function allStoredText(services: CoreServices, table: 'api_tokens' | 'sessions' | 'oauth_codes'): Promise<string> {
  const rows = await services.database.db.selectFrom(table).selectAll().execute();
  return JSON.stringify(rows);
}

for (const backend of backends) {
  describe(`storage on ${backend.name}`, () => {
    let url: string | null;
    before(async () => {
      url = await backend.freshDbUrl();
    });

    test('db upgrade creates the schema and is idempotent', async () => {
      const database = openDatabase({ dbUrl: url, dataDir: temp.path });
      try {
        assert.deepEqual((await schemaStatus(database)).applied, []);
        const first = await upgradeSchema(database);
        assert.deepEqual(first.applied, migrations.map(([name]) => name));
        assert.equal(first.applied[0], '001-identity');
        const second = await upgradeSchema(database);
        assert.deepEqual(second.applied, []);
        const status = await schemaStatus(database);
        assert.deepEqual(status.pending, []);
        assert.deepEqual(status.unknown, []);
      } finally {
        await database.close();
      }
    });

    test('start-up refuses an empty schema when not allowed to create it, and a newer one always', async () => {
      const emptyUrl = await backend.freshDbUrl();
      const empty = openDatabase({ dbUrl: emptyUrl, dataDir: temp.path });
      try {
        await assert.rejects(assertSchemaCurrent(empty, { createIfEmpty: false }), (e: unknown) => isBulwarkError(e) && e.code === 'STORAGE_SCHEMA_OUTDATED');
        await upgradeSchema(empty);
        await sql`insert into kysely_migration (name, timestamp) values ('999-from-the-future', '2030-01-01')`.execute(empty.db);
        await assert.rejects(assertSchemaCurrent(empty, { createIfEmpty: true }), (e: unknown) => isBulwarkError(e) && e.code === 'STORAGE_SCHEMA_NEWER');
        await assert.rejects(upgradeSchema(empty), /newer than this code/);
      } finally {
        await empty.close();
      }
    });

    test('users: create, duplicate, invalid names, admin flag, remove with cascade', async () => {
      const s = await open(url);
      try {
        const alice = await s.users.create({ name: 'Alice', password: 'pw-alice-1', authorized: true }, cliActor);
        assert.equal(alice.name, 'alice', 'names are normalised to lower case');
        await assert.rejects(s.users.create({ name: 'alice' }, cliActor), (e: unknown) => isBulwarkError(e) && e.code === 'IDENTITY_USER_EXISTS');
        for (const bad of ['', '../etc', 'a b', 'root;rm', '1abc', 'x'.repeat(40)]) {
          await assert.rejects(s.users.create({ name: bad }, cliActor), (e: unknown) => isBulwarkError(e) && e.code === 'IDENTITY_INVALID_USERNAME', bad);
        }
        assert.equal((await s.users.setAdmin('alice', true, cliActor)).admin, true);
        assert.equal((await s.users.require('alice')).admin, true);
        await s.tokens.create({ owner: alice }, cliActor);
        await s.sessions.create(alice, 3600);
        await s.users.remove('alice', cliActor);
        assert.equal(await s.users.get('alice'), undefined);
        assert.equal((await s.tokens.list('alice')).length, 0);
        const orphans = await s.database.db.selectFrom('sessions').select('id').where('user_id', '=', alice.id).execute();
        assert.equal(orphans.length, 0, 'sessions are removed with the user');
      } finally {
        await s.close();
      }
    });

    test('one query each: a user with their groups, and the groups with what was shared with them', async () => {
      const s = await open(url);
      try {
        const lone = await s.users.create({ name: 'lone' }, cliActor);
        const member = await s.users.create({ name: 'member' }, cliActor);
        const groups = createGroupStore({ db: s.database.db, audit: s.audit });
        await groups.create('physics', ['member'], cliActor);
        await groups.create('chemistry', ['member'], cliActor);
        assert.deepEqual(await s.users.getWithGroups('Lone'), { user: lone, groups: [] });
        const found = await s.users.getWithGroups('member');
        assert.deepEqual(found?.user, member);
        assert.deepEqual([...(found?.groups ?? [])].sort(), ['chemistry', 'physics']);
        assert.deepEqual([...(found?.groups ?? [])].sort(), [...(await s.users.groupsOf(member.id))].sort(), 'the same groups as the separate query');
        assert.equal(await s.users.getWithGroups('nobody'), undefined);

        // What every request of a user reads: their groups and what was shared with them or a group, in one query.
        const shares = createShareStore(s.database);
        const server = await s.database.db
          .insertInto('servers')
          .values({ user_id: lone.id, name: '', state: 'running', url: null, spawner_state: null, user_options: '{}', started_at: null, last_activity: null, failure: null })
          .returning('id')
          .executeTakeFirstOrThrow();
        const physics = await groups.get('physics');
        await shares.grant(server.id, { kind: 'user', id: member.id }, ['access:servers!server=lone/'], new Date().toISOString());
        await shares.grant(server.id, { kind: 'group', id: physics?.id ?? 0 }, ['read:servers!server=lone/'], new Date().toISOString());
        const facts = await shares.groupsAndScopesOf(member.id);
        assert.deepEqual([...facts.groups].sort(), ['chemistry', 'physics']);
        assert.deepEqual([...facts.shared].sort(), ['access:servers!server=lone/', 'read:servers!server=lone/']);
        assert.deepEqual([...facts.shared].sort(), [...(await shares.scopesOf(member.id))].sort(), 'the same scopes as the separate query');
        assert.deepEqual(await shares.groupsAndScopesOf(lone.id), { groups: [], shared: [] });
      } finally {
        await s.close();
      }
    });

    test('passwords are argon2id; imported bcrypt hashes verify and are re-hashed on login', async () => {
      const s = await open(url);
      try {
        await s.users.create({ name: 'pwuser', password: 'correct horse' }, cliActor);
        const row = await s.database.db.selectFrom('users').select('password_hash').where('name', '=', 'pwuser').executeTakeFirstOrThrow();
        assert.match(row.password_hash ?? '', /^\$argon2id\$/);
        assert.equal((await s.users.checkPassword('pwuser', 'correct horse')).ok, true);
        assert.deepEqual(await s.users.checkPassword('pwuser', 'wrong'), { ok: false, reason: 'wrong-password', user: await s.users.require('pwuser') });
        assert.equal((await s.users.checkPassword('nobody', 'x')).ok, false);

        await s.users.create({ name: 'imported' }, cliActor);
        const legacy = await bcrypt.hash('old secret', 4);
        await s.database.db.updateTable('users').set({ password_hash: legacy }).where('name', '=', 'imported').execute();
        assert.equal((await s.users.checkPassword('imported', 'old secret')).ok, true);
        const rehashed = await s.database.db.selectFrom('users').select('password_hash').where('name', '=', 'imported').executeTakeFirstOrThrow();
        assert.match(rehashed.password_hash ?? '', /^\$argon2id\$/, 'bcrypt hash replaced after a successful login');
        assert.equal((await s.users.checkPassword('imported', 'old secret')).ok, true);
      } finally {
        await s.close();
      }
    });

    test('API tokens: stored only as hashes, authenticate, expire, revoke, audited', async () => {
      const time = testClock();
      const s = await open(url, time.clock);
      try {
        const owner = await s.users.create({ name: 'tokenowner' }, cliActor);
        const { token, record } = await s.tokens.create({ owner, scopes: ['read:users!user'], note: 'ci', expiresInSeconds: 60 }, cliActor);
        assert.match(token, /^[0-9a-f]{32}$/);
        const stored = await allStoredText(s, 'api_tokens');
        assert.ok(!stored.includes(token), 'the token value is not in the database');
        assert.ok(!stored.includes(token.slice(4)), 'not even its secret part');
        const found = await s.tokens.authenticate(token);
        assert.equal(found?.user.name, 'tokenowner');
        assert.deepEqual(found?.record.scopes, ['read:users!user']);
        assert.equal(await s.tokens.authenticate(`${token.slice(0, 31)}0`.replace(/0$/, token.endsWith('0') ? '1' : '0')), undefined);
        time.advance(61);
        assert.equal(await s.tokens.authenticate(token), undefined, 'expired tokens do not authenticate');
        await s.tokens.revoke(record.publicId, cliActor);
        assert.equal((await s.tokens.list('tokenowner')).length, 0);
        await assert.rejects(s.tokens.revoke(record.publicId, cliActor), (e: unknown) => isBulwarkError(e) && e.code === 'IDENTITY_TOKEN_NOT_FOUND');
        const actions = (await s.audit.list({ limit: 20 })).filter((r) => r.target === 'tokenowner').map((r) => r.action);
        assert.deepEqual(actions.sort(), ['token.create', 'token.revoke', 'user.create']);
      } finally {
        await s.close();
      }
    });

    test('browser sessions: id stored only as a hash, expire, end', async () => {
      const time = testClock();
      const s = await open(url, time.clock);
      try {
        const user = await s.users.create({ name: 'sessionuser' }, cliActor);
        const { cookieValue, session } = await s.sessions.create(user, 3600);
        assert.ok(cookieValue.length >= 40);
        assert.ok(!(await allStoredText(s, 'sessions')).includes(cookieValue), 'the session id is not in the database');
        assert.equal((await s.sessions.resolve(cookieValue))?.session.publicId, session.publicId);
        assert.equal(await s.sessions.resolve('x'.repeat(43)), undefined);
        time.advance(3601);
        assert.equal(await s.sessions.resolve(cookieValue), undefined, 'expired');
        const second = await s.sessions.create(user, 3600);
        assert.ok(await s.sessions.end(second.cookieValue));
        assert.equal(await s.sessions.resolve(second.cookieValue), undefined, 'ended');
      } finally {
        await s.close();
      }
    });

    test('a password change ends sessions and is audited; lockout state survives reopening', async () => {
      const time = testClock();
      const s = await open(url, time.clock);
      try {
        const user = await s.users.create({ name: 'lockme', password: 'first-pass' }, cliActor);
        const { cookieValue } = await s.sessions.create(user, 3600);
        await s.users.setPassword('lockme', 'second-pass', cliActor);
        assert.equal(await s.sessions.resolve(cookieValue), undefined);
        const policy = { allowedFailedLogins: 2, lockSeconds: 600 };
        await s.users.recordLoginFailure('lockme', policy);
        await s.users.recordLoginFailure('lockme', policy);
      } finally {
        await s.close();
      }
      const reopened = await open(url, time.clock);
      try {
        assert.equal((await reopened.users.checkPassword('lockme', 'second-pass')).ok, false, 'locked after two failures');
        time.advance(601);
        assert.equal((await reopened.users.checkPassword('lockme', 'second-pass')).ok, true, 'unlocked after seconds_before_next_try');
        const actions = (await reopened.audit.list({ limit: 50 })).filter((r) => r.target === 'lockme').map((r) => r.action);
        assert.ok(actions.includes('user.password.change'));
      } finally {
        await reopened.close();
      }
    });
  });
}
