// Import from a real JupyterHub 3.0 database (made by Debian's jupyterhub through its own REST
// API) plus nativeauthenticator's users_info table with bcrypt hashes from Debian's python3-bcrypt;
// the imported people then log in to Bulwark with their old passwords.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { importAccounts } from '../../../src/identity/import/import-accounts.js';
import { readJupyterHubDatabase } from '../../../src/identity/import/jupyterhub-database.js';
import { cliActor } from '../../../src/log/index.js';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { startRealJupyterHub } from '../../helpers/real-jupyterhub.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const temp = makeTempDir('bulwark-jh-import-');
let dbPath = '';
let hub: TestHub | undefined;

async function jhApi(url: string, token: string, method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${url}/hub/api${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${await response.text()}`);
}

before(async () => {
  const jh = await startRealJupyterHub(temp.path);
  try {
    await jhApi(jh.url, jh.token, 'POST', '/users', { usernames: ['ada', 'grace', 'linus'] });
    await jhApi(jh.url, jh.token, 'PATCH', '/users/grace', { admin: true });
    await jhApi(jh.url, jh.token, 'POST', '/groups/research', { users: ['ada', 'grace'] });
    await jhApi(jh.url, jh.token, 'POST', '/groups/ops', { users: ['linus'] });
  } finally {
    await jh.stop();
  }
  dbPath = jh.dbPath;
  // nativeauthenticator's table, as its orm.py defines it, with hashes from the real bcrypt module.
  const script = `
import bcrypt, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("""CREATE TABLE users_info (id INTEGER PRIMARY KEY AUTOINCREMENT, username VARCHAR(128) NOT NULL,
  password BLOB NOT NULL, is_authorized BOOLEAN, login_email_sent BOOLEAN, email VARCHAR(128),
  has_2fa BOOLEAN, otp_secret VARCHAR(16))""")
for name, pw, ok in [("ada", "ada-old-pass", 1), ("grace", "grace-old-pass", 1), ("newbie", "newbie-pass", 0)]:
    db.execute("INSERT INTO users_info (username, password, is_authorized, login_email_sent, email, has_2fa, otp_secret) VALUES (?, ?, ?, 0, ?, 0, 'ABCDEFGHIJKLMNOP')",
               (name, bcrypt.hashpw(pw.encode(), bcrypt.gensalt(rounds=6)), ok, name + "@example.org"))
db.commit()
`;
  const result = spawnSync('/usr/bin/python3', ['-c', script, dbPath], { encoding: 'utf8' });
  assert.equal(result.status, 0, `python3-bcrypt needed (scripts/setup.sh installs jupyterhub, which brings it): ${result.stderr}`);
  hub = await startTestHub({ 'authenticator.native.minimum_password_length': 4 });
});

after(async () => {
  await hub?.close();
  temp.remove();
});

test('reads users, admin flags, groups and native accounts from the real database', () => {
  const exported = readJupyterHubDatabase(dbPath);
  const byName = new Map(exported.accounts.map((a) => [a.name, a]));
  assert.deepEqual([...byName.keys()].sort(), ['ada', 'grace', 'linus', 'newbie']);
  assert.equal(byName.get('grace')?.admin, true);
  assert.equal(byName.get('ada')?.admin, false);
  assert.deepEqual(byName.get('ada')?.groups, ['research']);
  assert.deepEqual(byName.get('linus')?.groups, ['ops']);
  assert.match(byName.get('ada')?.bcryptHash ?? '', /^\$2b\$06\$/);
  assert.equal(byName.get('linus')?.bcryptHash, null, 'a hub user without a native account has no password');
  assert.equal(byName.get('newbie')?.authorized, false, 'a signup waiting for approval stays waiting');
  assert.deepEqual(exported.groups.map((g) => g.name).sort(), ['ops', 'research']);
});

test('imports once, skips existing users on a second run, and old passwords log in (then re-hashed)', async () => {
  assert.ok(hub);
  const services = hub.handle.services;
  const source = readJupyterHubDatabase(dbPath);
  const dry = await importAccounts(services.database.db, source, { audit: services.audit, actor: cliActor, sourceName: dbPath, dryRun: true });
  assert.equal(dry.created.length, 4);
  assert.equal((await services.users.list()).length, 0, 'a dry run writes nothing');

  const first = await importAccounts(services.database.db, source, { audit: services.audit, actor: cliActor, sourceName: dbPath });
  assert.deepEqual(first.created.sort(), ['ada', 'grace', 'linus', 'newbie']);
  assert.equal(first.memberships, 3);
  const second = await importAccounts(services.database.db, source, { audit: services.audit, actor: cliActor, sourceName: dbPath });
  assert.deepEqual(second.created, []);
  assert.deepEqual(second.skipped.sort(), ['ada', 'grace', 'linus', 'newbie']);
  assert.equal((await services.users.require('grace')).admin, true);
  assert.deepEqual(await services.users.groupsOf((await services.users.require('ada')).id), ['research']);

  const client = new BrowserLikeClient(hub.url);
  const ok = await client.submitForm('/hub/login?next=/hub/home', '/hub/login?next=/hub/home', { username: 'ada', password: 'ada-old-pass' });
  assert.equal(ok.url, '/hub/home', 'the bcrypt password from nativeauthenticator works');
  const row = await services.database.db.selectFrom('users').select('password_hash').where('name', '=', 'ada').executeTakeFirstOrThrow();
  assert.match(row.password_hash ?? '', /^\$argon2id\$/, 're-hashed to argon2id on that login');
  const again = await new BrowserLikeClient(hub.url).submitForm('/hub/login', '/hub/login', { username: 'ada', password: 'ada-old-pass' });
  assert.notEqual(again.status, 403, 'the new hash verifies too');

  const waiting = await new BrowserLikeClient(hub.url).submitForm('/hub/login', '/hub/login', { username: 'newbie', password: 'newbie-pass' });
  assert.equal(waiting.status, 403, 'an unapproved signup still cannot log in');
  const audit = await services.audit.list({ action: 'user.import' });
  assert.equal(audit.length, 2);
});

test('a file that is not a JupyterHub database is refused with a clear error', () => {
  assert.throws(() => readJupyterHubDatabase('/nonexistent/jupyterhub.sqlite'), /Cannot import accounts from \/nonexistent/);
});
