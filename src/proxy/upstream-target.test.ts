import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Route } from './route-table.js';
import { createTargetCache, upstreamTarget } from './upstream-target.js';

function route(target: string): Route {
  return { prefix: '/user/alice', target, data: {}, lastActivity: new Date(0) };
}

describe('upstreamTarget', () => {
  it('keeps the request path for an origin-only target', () => {
    assert.deepEqual(upstreamTarget(route('http://127.0.0.1:36755')).requestOptions('/user/alice/api?x=1'), {
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 36755,
      path: '/user/alice/api?x=1',
    });
  });

  it('puts a target path in front, as configurable-http-proxy does', () => {
    assert.equal(upstreamTarget(route('http://127.0.0.1:8081/base/')).requestOptions('/user/alice/x').path, '/base/user/alice/x');
  });

  it('names the backend for TLS: its host name, or no SNI for an IP address', () => {
    assert.equal(upstreamTarget(route('https://alice.internal:8443')).requestOptions('/').servername, 'alice.internal');
    assert.equal(upstreamTarget(route('https://127.0.0.1')).requestOptions('/').servername, '');
    assert.equal(upstreamTarget(route('https://127.0.0.1')).requestOptions('/').port, 443);
    assert.equal(upstreamTarget(route('http://[::1]:9000')).requestOptions('/').hostname, '::1');
  });
});

describe('createTargetCache', () => {
  it('parses once per route and notices a changed target', () => {
    const targetOf = createTargetCache();
    const r = route('http://127.0.0.1:1');
    const first = targetOf(r);
    assert.equal(targetOf(r), first);
    r.target = 'http://127.0.0.1:2';
    assert.equal(targetOf(r).requestOptions('/').port, 2);
  });
});
