import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../index.js';
import { hstsHeader } from '../../web/index.js';

function problems(flags: Record<string, unknown>): string[] {
  try {
    loadConfig({ env: {}, flags });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

test('HSTS defaults: on, one year, no includeSubDomains, no preload; never over plain HTTP', () => {
  const { config } = loadConfig({ env: {}, flags: {} });
  assert.equal(hstsHeader(true, config.hub.tls), 'max-age=31536000');
  assert.equal(hstsHeader(false, config.hub.tls), null);
  assert.equal(hstsHeader(true, { ...config.hub.tls, hsts: false }), null);
  assert.equal(hstsHeader(true, { ...config.channel.tls, hsts_max_age: 600, hsts_include_subdomains: true }), 'max-age=600; includeSubDomains');
});

test('hsts_preload needs hsts_include_subdomains and a max-age of a year; the error names the key', () => {
  assert.deepEqual(problems({ 'hub.tls.hsts_preload': true }), ['hub.tls.hsts_preload: hsts_preload requires hsts_include_subdomains: true']);
  assert.deepEqual(problems({ 'channel.tls.hsts_preload': true, 'channel.tls.hsts_include_subdomains': true, 'channel.tls.hsts_max_age': 86400 }), [
    'channel.tls.hsts_preload: hsts_preload requires hsts_max_age of at least 31536000 (one year), got 86400',
  ]);
  const { config } = loadConfig({ env: {}, flags: { 'hub.tls.hsts_preload': true, 'hub.tls.hsts_include_subdomains': true, 'hub.tls.hsts_max_age': 63072000 } });
  assert.equal(hstsHeader(true, config.hub.tls), 'max-age=63072000; includeSubDomains; preload');
});
