import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../index.js';

function problems(flags: Record<string, unknown>): string[] {
  try {
    loadConfig({ env: {}, flags });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

const elsewhere = { 'spawner.package_channel': 'approved', 'spawner.package_channel_url': 'https://channel.example/' };

test('package_channel_token names where the token is kept: file, environment or kernel keyring', () => {
  for (const reference of ['file:/etc/bulwark/channel-token', 'env:CHANNEL_TOKEN', 'keyctl:user:bulwark-channel-token']) {
    assert.deepEqual(problems({ ...elsewhere, 'spawner.package_channel_token': reference }), [], reference);
  }
  assert.equal(loadConfig({ env: {}, flags: {} }).config.spawner.package_channel_token, null);
});

test('a token written in the configuration is refused, and the message does not repeat it', () => {
  const found = problems({ ...elsewhere, 'spawner.package_channel_token': '0123456789abcdef0123456789abcdef' });
  assert.equal(found.length, 1);
  assert.match(found[0] ?? '', /^spawner\.package_channel_token: expected file:\/PATH, env:VARIABLE or keyctl:user:DESCRIPTION .*never the token itself$/);
  assert.doesNotMatch(found[0] ?? '', /0123456789abcdef/);
  assert.equal(problems({ ...elsewhere, 'spawner.package_channel_token': 'file:relative/token' }).length, 1, 'a relative path is refused');
});

test('package_channel_token without package_channel_url is refused: the channel of `bulwark up` uses servers\' own tokens', () => {
  assert.deepEqual(problems({ 'spawner.package_channel': 'approved', 'spawner.package_channel_token': 'file:/etc/bulwark/channel-token' }), [
    'spawner.package_channel_token: is only for a channel elsewhere: set spawner.package_channel_url too',
  ]);
});
