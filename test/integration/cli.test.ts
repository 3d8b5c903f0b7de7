// The CLI as an administrator uses it: a real `bin/bulwark` process, a temp directory, exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSqliteConnection } from '../../src/storage/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const bin = fileURLToPath(new URL('../../bin/bulwark', import.meta.url));
const temp = makeTempDir('bulwark-cli-');
after(() => temp.remove());

function bulwark(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: temp.path,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: temp.path, ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('config check: a typo exits 2 and names the key; a valid file exits 0', () => {
  const typo = join(temp.path, 'typo.yaml');
  writeFileSync(typo, 'hub:\n  bind_url: http://127.0.0.1:8000\nspawner:\n  notebok_dir: /srv\n');
  const bad = bulwark(['config', 'check', '--config', typo]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /spawner\.notebok_dir: unknown key; did you mean spawner\.notebook_dir\?/);
  const good = join(temp.path, 'good.yaml');
  writeFileSync(good, bulwark(['config', 'generate']).stdout);
  const ok = bulwark(['config', 'check', '--config', good]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /config ok/);
  const env = bulwark(['config', 'check', '--config', good], { env: { BULWARK_HUB__CONCURRENT_SPAWN_LIMIT: 'many' } });
  assert.equal(env.code, 2);
  assert.match(env.stderr, /hub\.concurrent_spawn_limit: .*number.*BULWARK_HUB__CONCURRENT_SPAWN_LIMIT/);
});

test('usage errors exit 2 with help; --help exits 0', () => {
  assert.equal(bulwark(['nonsense']).code, 2);
  assert.equal(bulwark(['user', 'add']).code, 2);
  assert.equal(bulwark(['user', 'add', 'x', '--bogus-flag']).code, 2);
  const help = bulwark(['token', 'create', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--expires-in/);
  const groupHelp = bulwark(['token', '--help']);
  assert.equal(groupHelp.code, 0, groupHelp.stderr);
  assert.match(groupHelp.stdout, /token create/);
  const bareGroup = bulwark(['token']);
  assert.equal(bareGroup.code, 2, 'a group without a command is still a usage error');
  assert.match(bareGroup.stderr, /token create/);
});

test('--version prints the package version', () => {
  const version = bulwark(['--version']);
  assert.equal(version.code, 0, version.stderr);
  assert.match(version.stdout, /^bulwark \d+\.\d+\.\d+/);
});

test('db upgrade is idempotent; users and tokens round-trip; secrets never reach the database', () => {
  const first = bulwark(['db', 'upgrade']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /applied 001-identity/);
  const second = bulwark(['db', 'upgrade']);
  assert.equal(second.code, 0);
  assert.match(second.stdout, /up to date/);

  assert.equal(bulwark(['user', 'add', 'carol', '--password-stdin'], { input: 'carol-secret-pw\n' }).code, 0);
  assert.equal(bulwark(['user', 'add', 'carol', '--password-stdin'], { input: 'x\n' }).code, 1, 'duplicate user is a failure, not a usage error');
  const noTty = bulwark(['user', 'add', 'dave']);
  assert.equal(noTty.code, 2);
  assert.match(noTty.stderr, /--password-stdin/);
  assert.equal(bulwark(['user', 'set-admin', 'carol']).code, 0);
  const shown = JSON.parse(bulwark(['user', 'show', 'carol', '--json']).stdout) as { admin: boolean };
  assert.equal(shown.admin, true);

  const created = bulwark(['token', 'create', 'carol', '--scopes', 'read:users!user,servers!user', '--expires-in', '1h', '--json']);
  assert.equal(created.code, 0, created.stderr);
  const token = JSON.parse(created.stdout) as { id: string; token: string; scopes: string[]; expires_at: string };
  assert.match(token.token, /^[0-9a-f]{32}$/);
  assert.deepEqual(token.scopes, ['read:users!user', 'servers!user']);
  assert.equal(bulwark(['token', 'create', 'carol', '--scopes', 'all']).code, 2, 'unknown scope');
  assert.equal(bulwark(['token', 'create', 'carol', '--expires-in', 'soon']).code, 2, 'bad duration');

  const db = openSqliteConnection(join(temp.path, 'data', 'bulwark.sqlite'), { readonly: true });
  try {
    const dump = JSON.stringify([db.prepare('select * from api_tokens').all(), db.prepare('select * from users').all()]);
    assert.ok(!dump.includes(token.token), 'token stored only as a hash');
    assert.ok(!dump.includes('carol-secret-pw'), 'password stored only as a hash');
    const audit = db.prepare('select action from audit_log order by id').all() as Array<{ action: string }>;
    assert.deepEqual(audit.map((row) => row.action), ['user.create', 'user.admin.grant', 'token.create']);
  } finally {
    db.close();
  }

  const listed = JSON.parse(bulwark(['token', 'list', '--json']).stdout) as Array<{ id: string }>;
  assert.deepEqual(listed.map((t) => t.id), [token.id]);
  assert.equal(bulwark(['token', 'revoke', token.id]).code, 0);
  assert.equal(bulwark(['token', 'revoke', token.id]).code, 1, 'revoking twice is a failure');
  assert.equal(bulwark(['user', 'remove', 'carol']).code, 0);
  assert.equal(bulwark(['user', 'show', 'carol']).code, 1);
});
