import assert from 'node:assert/strict';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { TLSSocket } from 'node:tls';
import { appendForwardedHeaders, isEncrypted } from './forwarded-headers.js';

/** A request whose socket reports the given addresses; only the fields the function reads are set. */
function request(socket: Socket, host: string | undefined, remote: string, localPort: number): IncomingMessage {
  Object.defineProperty(socket, 'remoteAddress', { value: remote });
  Object.defineProperty(socket, 'localPort', { value: localPort });
  return { socket, headers: host === undefined ? {} : { host } } as IncomingMessage;
}

describe('appendForwardedHeaders', () => {
  it('adds this hop for a plain connection', () => {
    const headers: OutgoingHttpHeaders = {};
    appendForwardedHeaders(headers, request(new Socket(), 'hub.example.org:8000', '::ffff:10.0.0.7', 8000));
    assert.deepEqual(headers, {
      'x-forwarded-for': '10.0.0.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'hub.example.org:8000',
      'x-forwarded-port': '8000',
    });
  });

  it('says https when the client connection is TLS, and appends to what a front proxy sent', () => {
    const socket = new TLSSocket(new Socket());
    const req = request(socket, 'hub.example.org', '127.0.0.1', 443);
    assert.equal(isEncrypted(req), true);
    const headers: OutgoingHttpHeaders = {
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'hub.example.org',
      'x-forwarded-port': '443',
    };
    appendForwardedHeaders(headers, req);
    assert.deepEqual(headers, {
      'x-forwarded-for': '203.0.113.9, 127.0.0.1',
      'x-forwarded-proto': 'https, https',
      'x-forwarded-host': 'hub.example.org, hub.example.org',
      'x-forwarded-port': '443, 443',
    });
    socket.destroy();
  });

  it('leaves X-Forwarded-Host out when the client sent no Host', () => {
    const headers: OutgoingHttpHeaders = {};
    appendForwardedHeaders(headers, request(new Socket(), undefined, '127.0.0.1', 80));
    assert.equal(headers['x-forwarded-host'], undefined);
  });
});
