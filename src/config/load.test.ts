import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from './errors.js';
import { loadConfig } from './load.js';
import { redactConfig } from './redact.js';

function tempConfig(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-config-'));
  const file = join(dir, 'bulwark.yaml');
  writeFileSync(file, yaml);
  return file;
}

test('defaults follow ARCHITECTURE.md: loopback bind, SQLite under ./data, embedded proxy, native auth', () => {
  const { config } = loadConfig({ env: {}, cwd: tmpdir() });
  assert.equal(config.hub.bind_url, 'http://127.0.0.1:8000');
  assert.equal(config.hub.data_dir, './data');
  assert.equal(config.hub.db_url, null);
  assert.equal(config.proxy.mode, 'embedded');
  assert.equal(config.authenticator.class, 'native');
  assert.equal(config.spawner.class, 'local');
  assert.deepEqual(config.spawner.cmd, ['jupyterhub-singleuser']);
  assert.equal(config.spawner.min_uid, 1000);
});

test('precedence is defaults < file < environment < flags', () => {
  const file = tempConfig('hub:\n  bind_url: http://127.0.0.1:9001\n  data_dir: /from/file\nspawner:\n  min_uid: 2000\n');
  const { config } = loadConfig({
    file,
    env: { BULWARK_HUB__BIND_URL: 'http://127.0.0.1:9002', BULWARK_SPAWNER__MIN_UID: '3000' },
    flags: { 'spawner.min_uid': 4000 },
  });
  assert.equal(config.hub.data_dir, '/from/file');
  assert.equal(config.hub.bind_url, 'http://127.0.0.1:9002');
  assert.equal(config.spawner.min_uid, 4000);
});

test('environment values are read as YAML, and nested keys join with __', () => {
  const { config } = loadConfig({
    env: {
      BULWARK_AUTHENTICATOR__ADMIN_USERS: '[alice, bob]',
      BULWARK_AUTHENTICATOR__NATIVE__OPEN_SIGNUP: 'true',
      BULWARK_SPAWNER__ENVIRONMENT: '{A: b}',
    },
  });
  assert.deepEqual(config.authenticator.admin_users, ['alice', 'bob']);
  assert.equal(config.authenticator.native.open_signup, true);
  assert.deepEqual(config.spawner.environment, { A: 'b' });
});

test('a typo in a key names the key path, suggests the right one and says where it came from', () => {
  const file = tempConfig('hub:\n  bind_ur: http://127.0.0.1:9001\n');
  assert.throws(
    () => loadConfig({ file, env: {} }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 1);
      const [problem] = error.problems;
      assert.equal(problem?.path, 'hub.bind_ur');
      assert.match(problem?.message ?? '', /unknown key; did you mean hub\.bind_url\?/);
      assert.equal(problem?.origin, file);
      return true;
    },
  );
});

test('bad values report every problem with its path and the expectation', () => {
  assert.throws(
    () => loadConfig({ env: { BULWARK_SPAWNER__MIN_UID: '-5', BULWARK_PROXY__MODE: 'sideways', BULWARK_NOPE__X: '1' } }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      const paths = error.problems.map((p) => p.path).sort();
      assert.deepEqual(paths, ['nope', 'proxy.mode', 'spawner.min_uid']);
      const mode = error.problems.find((p) => p.path === 'proxy.mode');
      assert.match(mode?.message ?? '', /embedded/);
      assert.equal(mode?.origin, 'environment variable BULWARK_PROXY__MODE');
      return true;
    },
  );
});

test('a base_url without slashes is refused with the expected form', () => {
  assert.throws(() => loadConfig({ flags: { 'hub.base_url': 'jupyter' } }), /hub\.base_url: expected a path that starts and ends with "\/"/);
});

test('the resolved config is deeply frozen', () => {
  const { config } = loadConfig({ env: {} });
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.hub));
  assert.ok(Object.isFrozen(config.spawner.cmd));
  assert.throws(() => {
    (config.hub as { bind_url: string }).bind_url = 'x';
  }, TypeError);
});

test('secrets are redacted: database password, proxy token, keystore URI', () => {
  const { config } = loadConfig({
    env: {
      BULWARK_HUB__DB_URL: 'postgresql://hub:s3cret@127.0.0.1:5432/hub',
      BULWARK_PROXY__AUTH_TOKEN: 'abcdef0123456789',
      BULWARK_HUB__TLS__KEYSTORE: 'pkcs11:token=t;pin-value=1234',
    },
  });
  const shown = JSON.stringify(redactConfig(config));
  assert.ok(!shown.includes('s3cret'));
  assert.ok(!shown.includes('abcdef0123456789'));
  assert.ok(!shown.includes('1234'));
  assert.match(shown, /postgresql:\/\/hub:\[redacted\]@127\.0\.0\.1:5432\/hub/);
  assert.equal(config.proxy.auth_token, 'abcdef0123456789', 'the config itself keeps the value');
});

test('an unreadable or non-mapping file is a clear error naming the file', () => {
  assert.throws(() => loadConfig({ file: '/nonexistent/bulwark.yaml' }), /Cannot read config file \/nonexistent\/bulwark\.yaml/);
  const list = tempConfig('- a\n- b\n');
  assert.throws(() => loadConfig({ file: list }), /top level must be a mapping/);
});

test('channel.data_dir follows hub.data_dir unless it is set itself', () => {
  assert.equal(loadConfig({ env: {}, cwd: tmpdir() }).config.channel.data_dir, './data/channel');
  assert.equal(loadConfig({ env: {}, flags: { 'hub.data_dir': '/srv/bulwark/' } }).config.channel.data_dir, '/srv/bulwark/channel');
  const both = loadConfig({ env: { BULWARK_CHANNEL__DATA_DIR: '/blobs' }, flags: { 'hub.data_dir': '/srv/bulwark' } });
  assert.equal(both.config.channel.data_dir, '/blobs');
});
