import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Route } from './route-table.js';
import { isUnreachableError, timeoutError, toProxyError } from './upstream-error.js';

const route: Route = { prefix: '/user/alice', target: 'http://127.0.0.1:36755', data: {}, lastActivity: new Date() };

function netError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('toProxyError', () => {
  it('maps a backend that is not there to 503, naming the prefix, not the target', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ETIMEDOUT']) {
      assert.equal(isUnreachableError(netError(code)), true);
      const error = toProxyError(netError(code), route);
      assert.equal(error.code, 'PROXY_UPSTREAM_UNREACHABLE');
      assert.equal(error.status, 503);
      assert.equal(error.message, 'The server at /user/alice is not answering');
    }
  });

  it('maps anything else to 502', () => {
    const error = toProxyError(netError('HPE_INVALID_CONSTANT'), route);
    assert.equal(error.code, 'PROXY_UPSTREAM_FAILED');
    assert.equal(error.status, 502);
    assert.equal(isUnreachableError(new Error('plain')), false);
  });

  it('gives timeouts the ETIMEDOUT code', () => {
    assert.equal(isUnreachableError(timeoutError(5)), true);
  });
});
