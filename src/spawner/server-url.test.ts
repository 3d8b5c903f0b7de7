import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeServicePrefix, serverUrl } from './server-url.js';

describe('serverUrl', () => {
  it('builds the service URL from ip, port and prefix', () => {
    assert.deepEqual(serverUrl('127.0.0.1', 40000, '/user/alice/'), {
      bind: 'http://127.0.0.1:40000/user/alice/',
      reach: 'http://127.0.0.1:40000/user/alice/',
    });
  });

  it('reaches a wildcard bind on loopback and brackets IPv6', () => {
    assert.equal(serverUrl('0.0.0.0', 1, '/user/a/').reach, 'http://127.0.0.1:1/user/a/');
    assert.equal(serverUrl('', 1, '/user/a/').bind, 'http://0.0.0.0:1/user/a/');
    assert.deepEqual(serverUrl('::', 1, '/u/'), { bind: 'http://[::]:1/u/', reach: 'http://[::1]:1/u/' });
  });
});

describe('normalizeServicePrefix', () => {
  it('adds missing slashes', () => {
    assert.equal(normalizeServicePrefix('user/alice'), '/user/alice/');
    assert.equal(normalizeServicePrefix('/user/alice/'), '/user/alice/');
  });
});
