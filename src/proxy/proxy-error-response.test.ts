import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { BulwarkError } from '../errors/index.js';
import { rawProxyErrorResponse } from './proxy-error-response.js';

function request(accept: string | undefined): IncomingMessage {
  return { headers: accept === undefined ? {} : { accept } } as IncomingMessage;
}

describe('rawProxyErrorResponse', () => {
  const error = new BulwarkError('PROXY_UPSTREAM_UNREACHABLE', { target: '/user/<alice>' });

  it('answers API clients with the catalog JSON body', () => {
    const raw = rawProxyErrorResponse(request('application/json'), error);
    const [head, body] = raw.split('\r\n\r\n');
    assert.match(head ?? '', /^HTTP\/1\.1 503 Service Unavailable\r\n/);
    assert.match(head ?? '', /\r\nconnection: close/);
    assert.match(head ?? '', new RegExp(`content-length: ${Buffer.byteLength(body ?? '')}`));
    assert.deepEqual(JSON.parse(body ?? ''), {
      status: 503,
      code: 'PROXY_UPSTREAM_UNREACHABLE',
      message: 'The server at /user/<alice> is not answering',
    });
  });

  it('answers browsers with an escaped HTML page', () => {
    const raw = rawProxyErrorResponse(request('text/html,application/xhtml+xml'), error);
    assert.match(raw, /content-type: text\/html/);
    assert.match(raw, /\/user\/&#60;alice&#62;/);
    assert.doesNotMatch(raw, /<alice>/);
  });
});
