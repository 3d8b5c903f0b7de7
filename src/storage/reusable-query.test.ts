import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kysely } from 'kysely';
import { openDatabase } from './database.js';
import { reusableQuery } from './reusable-query.js';
import { upgradeSchema } from './schema-version.js';
import type { Tables } from './tables.js';

const usersNamed = reusableQuery(
  (db: Kysely<Tables>, name: string, admin: string) =>
    db.selectFrom('users').select(['name', 'admin']).where('name', '=', name).where('admin', '=', admin as unknown as number).where('authorized', '=', 1),
  2,
);

test('a reusable query runs with new arguments each time, keeping the constants it was built with', async () => {
  const database = openDatabase({ dbUrl: 'sqlite:///:memory:', dataDir: '/nonexistent' });
  try {
    await upgradeSchema(database);
    const now = new Date().toISOString();
    const row = (name: string, admin: number, authorized: number) => ({ name, admin, authorized, password_hash: null, email: null, cookie_id: name, failed_logins: 0, locked_until: null, created_at: now, last_activity: null });
    await database.db.insertInto('users').values([row('amy', 1, 1), row('bob', 0, 1), row('cy', 0, 0)]).execute();
    assert.deepEqual(await usersNamed(database.db, 'amy', 1), [{ name: 'amy', admin: 1 }]);
    assert.deepEqual(await usersNamed(database.db, 'bob', 0), [{ name: 'bob', admin: 0 }]);
    assert.deepEqual(await usersNamed(database.db, 'bob', 1), [], 'the second argument is bound too');
    assert.deepEqual(await usersNamed(database.db, 'cy', 0), [], 'the built-in constant (authorized = 1) stays');
    const twice = reusableQuery(
      (db: Kysely<Tables>, name: string) => db.selectFrom('users').select('name').where((eb) => eb.and([eb('name', '=', name), eb('cookie_id', '=', name)])),
      1,
    );
    assert.deepEqual(await twice(database.db, 'bob'), [{ name: 'bob' }], 'an argument used twice is bound in both places');
    assert.deepEqual(await twice(database.db, 'nobody'), []);
    const computed = reusableQuery((db: Kysely<Tables>, admin: string) => db.selectFrom('users').select('name').where('admin', '=', Number(admin)), 1);
    await assert.rejects(computed(database.db, 1), /expected 1 placeholders/, 'an argument used inside a computation is refused, not silently frozen');
  } finally {
    await database.close();
  }
});
