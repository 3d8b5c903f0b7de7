import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionTokens, stripHopByHopHeaders, stripHopByHopRawHeaders } from './hop-by-hop-headers.js';

describe('stripHopByHopHeaders', () => {
  it('drops the fixed hop-by-hop headers and those named in Connection', () => {
    const stripped = stripHopByHopHeaders({
      host: 'hub.example.org',
      connection: 'keep-alive, X-Secret-Hop',
      'keep-alive': 'timeout=5',
      'proxy-authorization': 'Basic eA==',
      'proxy-authenticate': 'Basic',
      'proxy-connection': 'keep-alive',
      te: 'trailers',
      trailer: 'expires',
      'transfer-encoding': 'chunked',
      upgrade: 'websocket',
      'x-secret-hop': '1',
      'content-type': 'text/plain',
      'set-cookie': ['a=1', 'b=2'],
    });
    assert.deepEqual(stripped, { host: 'hub.example.org', 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] });
  });

  it('keeps Upgrade and sends Connection: Upgrade for a websocket handshake', () => {
    const stripped = stripHopByHopHeaders(
      { connection: 'Upgrade, keep-alive', upgrade: 'websocket', 'keep-alive': '5', 'sec-websocket-key': 'k' },
      { keepUpgrade: true },
    );
    assert.deepEqual(stripped, { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'k' });
  });

  it('does not invent Connection: Upgrade when there is no Upgrade header', () => {
    assert.deepEqual(stripHopByHopHeaders({ connection: 'close' }, { keepUpgrade: true }), {});
  });
});

describe('stripHopByHopRawHeaders', () => {
  it('filters a flat raw header list and keeps the spelling of names', () => {
    const raw = ['Upgrade', 'websocket', 'Connection', 'Upgrade, X-Hop', 'X-Hop', '1', 'Sec-WebSocket-Accept', 'abc', 'Keep-Alive', '5'];
    assert.deepEqual(stripHopByHopRawHeaders(raw, { keepUpgrade: true }), [
      'Upgrade', 'websocket', 'Connection', 'Upgrade, X-Hop', 'Sec-WebSocket-Accept', 'abc',
    ]);
    assert.deepEqual(stripHopByHopRawHeaders(raw), ['Sec-WebSocket-Accept', 'abc']);
  });
});

describe('connectionTokens', () => {
  it('splits, trims and lower-cases, also across repeated headers', () => {
    assert.deepEqual(connectionTokens(' Keep-Alive ,,Upgrade'), ['keep-alive', 'upgrade']);
    assert.deepEqual(connectionTokens(['close', 'X-A']), ['close', 'x-a']);
    assert.deepEqual(connectionTokens(undefined), []);
  });
});
