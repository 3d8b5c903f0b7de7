import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseResponseHead } from './response-head.js';

describe('parseResponseHead', () => {
  it('reads status, reason, headers in order and the length', () => {
    const head = parseResponseHead('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length:  12 ');
    assert.equal(head.status, 200);
    assert.equal(head.statusMessage, 'OK');
    assert.deepEqual(head.rawHeaders, ['Content-Type', 'text/plain', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Content-Length', '12']);
    assert.equal(head.contentLength, 12);
    assert.equal(head.chunked, false);
    assert.equal(head.keepAlive, true);
  });

  it('refuses control characters a client could read as a line break (response splitting)', () => {
    assert.throws(() => parseResponseHead('HTTP/1.1 200 OK\r\nX-A: one\ntwo: injected'), /control character in X-A/);
    assert.throws(() => parseResponseHead('HTTP/1.1 200 OK\r\nX-A: one\rtwo'), /control character/);
    assert.throws(() => parseResponseHead('HTTP/1.1 200 OK\r\nX-A: a\u0000b'), /control character/);
    assert.throws(() => parseResponseHead('HTTP/1.1 200 O\u0001K'), /reason phrase/);
    assert.equal(parseResponseHead('HTTP/1.1 200 OK\r\nX-A: tab\there').rawHeaders[1], 'tab\there');
  });

  it('accepts a reason with spaces or none at all', () => {
    assert.equal(parseResponseHead('HTTP/1.1 404 Not Found Here').statusMessage, 'Not Found Here');
    assert.equal(parseResponseHead('HTTP/1.1 204').statusMessage, '');
  });

  it('knows chunked and other transfer codings, and Content-Length is then unused', () => {
    assert.equal(parseResponseHead('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked').chunked, true);
    const other = parseResponseHead('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip');
    assert.equal(other.chunked, false);
    assert.equal(other.otherEncoding, true);
  });

  it('decides keep-alive from the version and Connection', () => {
    assert.equal(parseResponseHead('HTTP/1.1 200 OK\r\nConnection: Close').keepAlive, false);
    assert.equal(parseResponseHead('HTTP/1.1 200 OK\r\nConnection: x-a, close').keepAlive, false);
    assert.equal(parseResponseHead('HTTP/1.0 200 OK').keepAlive, false);
    assert.equal(parseResponseHead('HTTP/1.0 200 OK\r\nConnection: keep-alive').keepAlive, true);
  });

  it('refuses what is not an HTTP/1.x response head', () => {
    for (const bad of [
      'SSH-2.0-OpenSSH_9.2',
      'HTTP/2 200 OK',
      'HTTP/1.1 20 OK',
      'HTTP/1.1 200 OK\r\nno colon here',
      'HTTP/1.1 200 OK\r\nbad name: x',
      'HTTP/1.1 200 OK\r\n folded: x',
      'HTTP/1.1 200 OK\r\nContent-Length: 1e3',
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6',
    ]) {
      assert.throws(() => parseResponseHead(bad), { code: 'HPE_INVALID_RESPONSE' }, bad);
    }
  });

  it('allows a repeated identical Content-Length', () => {
    assert.equal(parseResponseHead('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5').contentLength, 5);
  });
});
