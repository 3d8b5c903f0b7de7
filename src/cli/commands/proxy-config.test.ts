// `bulwark proxy` reads the config only when there is one to read; otherwise it uses the schema
// defaults without loading the config module. These tests keep those defaults and the config in step.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, loadConfig } from '../../config/index.js';
import type { ParsedArgs } from '../command.js';
import { proxyConfig, proxyLogLevels, proxyNeedsConfig } from './proxy.js';

const empty = mkdtempSync(join(tmpdir(), 'bulwark-proxy-config-'));
after(() => rmSync(empty, { recursive: true, force: true }));

const args = (options: ParsedArgs['options'] = {}): ParsedArgs => ({ positionals: [], options });
const io = (env: Record<string, string | undefined> = {}, cwd = empty) => ({ env, cwd });

test('without a config source, the proxy settings are the schema defaults', async () => {
  assert.equal(proxyNeedsConfig(args(), io({ BULWARK_RUN_SOURCES: '1', PATH: '/usr/bin' })), false);
  const { config } = loadConfig({ env: {}, cwd: empty });
  const light = await proxyConfig(args(), io());
  assert.deepEqual(light.proxy, { routes_file: config.proxy.routes_file, auth_token: config.proxy.auth_token });
  assert.deepEqual(light.log, { level: config.log.level, format: config.log.format });
  assert.equal(light.tls, undefined);
});

test('--log-level without a config file sets the level the config loader would', async () => {
  for (const level of proxyLogLevels) {
    const { config } = loadConfig({ env: {}, cwd: empty, flags: { 'log.level': level } });
    assert.equal((await proxyConfig(args({ 'log-level': level }), io())).log.level, config.log.level);
  }
});

test('the levels the proxy accepts are exactly the config schema levels', () => {
  for (const level of proxyLogLevels) loadConfig({ env: {}, cwd: empty, flags: { 'log.level': level } });
  assert.throws(() => loadConfig({ env: {}, cwd: empty, flags: { 'log.level': 'verbose' } }), ConfigError);
  // An unknown level goes through the loader, so the error is the config error it always was.
  assert.equal(proxyNeedsConfig(args({ 'log-level': 'verbose' }), io()), true);
  return assert.rejects(proxyConfig(args({ 'log-level': 'verbose' }), io()), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /log\.level/);
    return true;
  });
});

test('a config file, BULWARK_* variable, --set or public TLS makes the proxy load the config', async () => {
  assert.equal(proxyNeedsConfig(args({ config: 'x.yaml' }), io()), true);
  assert.equal(proxyNeedsConfig(args({ set: ['proxy.routes_file=/tmp/r.json'] }), io()), true);
  assert.equal(proxyNeedsConfig(args(), io({ BULWARK_CONFIG: '/etc/bulwark.yaml' })), true);
  assert.equal(proxyNeedsConfig(args(), io({ BULWARK_PROXY__AUTH_TOKEN: 't' })), true);
  assert.equal(proxyNeedsConfig(args({ 'ssl-keystore': 'pkcs12:/x.p12' }), io()), true);
  assert.equal(proxyNeedsConfig(args({ 'ssl-key': '/k.pem' }), io()), true);

  const withFile = mkdtempSync(join(tmpdir(), 'bulwark-proxy-config-'));
  try {
    writeFileSync(join(withFile, 'bulwark.yaml'), 'proxy:\n  routes_file: /tmp/routes.json\nhub:\n  tls:\n    hsts_max_age: 60\n');
    assert.equal(proxyNeedsConfig(args(), io({}, withFile)), true);
    const loaded = await proxyConfig(args(), io({ BULWARK_PROXY__AUTH_TOKEN: 'from-env' }, withFile));
    assert.deepEqual(loaded.proxy, { routes_file: '/tmp/routes.json', auth_token: 'from-env' });
    assert.equal(loaded.tls?.hsts_max_age, 60);
  } finally {
    rmSync(withFile, { recursive: true, force: true });
  }
});
