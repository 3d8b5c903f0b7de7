import assert from 'node:assert/strict';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { rawRequestHead, type RawHeadContext } from './raw-request-head.js';
import { buildUpstreamHeaders } from './upstream-request-headers.js';
import { upstreamTarget } from './upstream-target.js';

const target = upstreamTarget({ prefix: '/', target: 'http://127.0.0.1:8888', data: {}, lastActivity: new Date() });

function request(headers: IncomingHttpHeaders, remote = '::ffff:10.0.0.7', localPort = 8000): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: remote });
  Object.defineProperty(socket, 'localPort', { value: localPort });
  return { socket, headers, method: 'GET', url: '/user/a/x' } as unknown as IncomingMessage;
}

function context(custom: Record<string, string> = {}, changes: Partial<RawHeadContext> = {}): RawHeadContext {
  const list = Object.entries(custom);
  return {
    removeCookies: new Set(['bulwark-hub-session']),
    xForwarded: true,
    customHeaders: list.length === 0 ? undefined : list,
    customHeaderNames: list.length === 0 ? undefined : new Set(list.map(([name]) => name)),
    changeOrigin: false,
    ...changes,
  };
}

/** The head the general path's header object would give, as an HTTP client writes it (Host defaulted). */
function expectedLines(ctx: RawHeadContext, req: IncomingMessage): string[] {
  const headers: OutgoingHttpHeaders = buildUpstreamHeaders(req, {
    removeCookies: ctx.removeCookies,
    upgrade: false,
    xForwarded: ctx.xForwarded,
    custom: ctx.customHeaders,
    host: ctx.changeOrigin ? target.url.host : undefined,
  });
  const lines = ['GET /user/a/x HTTP/1.1'];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${item}`);
  }
  if (headers.host === undefined) lines.push(`host: ${target.url.host}`);
  lines.push('connection: keep-alive');
  return lines.sort();
}

function actualLines(ctx: RawHeadContext, req: IncomingMessage): string[] {
  const head = rawRequestHead(ctx, req, target, '/user/a/x');
  assert.ok(head.endsWith('\r\n\r\n'));
  return head.slice(0, -4).split('\r\n').sort();
}

const cases: [string, IncomingHttpHeaders, RawHeadContext][] = [
  ['a plain browser request', { host: 'hub.example:8000', accept: '*/*', 'user-agent': 'x' }, context()],
  [
    'hop-by-hop and Connection-named headers, which cannot remove our X-Forwarded-For',
    { host: 'h', connection: 'keep-alive, x-forwarded-for, x-secret', 'x-secret': '1', 'keep-alive': '5', te: 'trailers', 'x-forwarded-for': '1.2.3.4', upgrade: 'h2c' },
    context(),
  ],
  ['a front proxy\'s X-Forwarded-* values', { host: 'h', 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'front', 'x-forwarded-port': '443', 'x-forwarded-prefix': '/p' }, context()],
  ['the hub cookie removed, others kept', { host: 'h', cookie: 'a=1; bulwark-hub-session=secret; b=2' }, context()],
  ['only the hub cookie', { host: 'h', cookie: 'bulwark-hub-session=secret' }, context()],
  ['no Host header', { accept: '*/*' }, context()],
  ['Host named in Connection', { host: 'h', connection: 'host' }, context()],
  ['--change-origin', { host: 'hub.example' }, context({}, { changeOrigin: true })],
  ['--no-x-forward passes the client\'s values through', { host: 'h', 'x-forwarded-for': '9.9.9.9' }, context({}, { xForwarded: false })],
  ['custom headers, overriding client and forwarded ones', { host: 'h', 'x-team': 'client', 'x-forwarded-for': '1.1.1.1' }, context({ 'x-team': 'ops', 'x-forwarded-for': 'fixed', host: 'custom-host' })],
  ['custom Host with --change-origin', { host: 'h' }, context({ host: 'custom-host' }, { changeOrigin: true })],
  ['repeated Set-Cookie-like array values', { host: 'h', 'set-cookie': ['a=1', 'b=2'] }, context()],
];

describe('rawRequestHead', () => {
  for (const [name, headers, ctx] of cases) {
    it(`sends the same header lines as the general path: ${name}`, () => {
      const req = request(headers);
      assert.deepEqual(actualLines(ctx, req), expectedLines(ctx, req));
    });
  }

  it('starts with the request line and ends the head with Connection: keep-alive', () => {
    const head = rawRequestHead(context(), request({ host: 'h' }), target, '/base/x?y=1');
    assert.ok(head.startsWith('GET /base/x?y=1 HTTP/1.1\r\n'));
    assert.ok(head.endsWith('host: h\r\nconnection: keep-alive\r\n\r\n'));
  });
});
