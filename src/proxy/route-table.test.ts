import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BulwarkError } from '../errors/index.js';
import { createRouteTable, normalizePrefix } from './route-table.js';

const alice = 'http://127.0.0.1:36755';
const bob = 'http://127.0.0.1:36756';
const hub = 'http://127.0.0.1:8081';

describe('normalizePrefix', () => {
  it('stores one leading slash and no trailing slash', () => {
    assert.equal(normalizePrefix('/user/alice/'), '/user/alice');
    assert.equal(normalizePrefix('user/alice/'.replace(/^/, '/')), '/user/alice');
    assert.equal(normalizePrefix('//user//alice//'), '/user/alice');
    assert.equal(normalizePrefix('/'), '/');
    assert.equal(normalizePrefix(''), '/');
  });

  it('lower-cases the host of a host route and drops its port', () => {
    assert.equal(normalizePrefix('Alice.Example.org:8443/'), 'alice.example.org');
    assert.equal(normalizePrefix('alice.example.org/lab/'), 'alice.example.org/lab');
  });
});

describe('createRouteTable', () => {
  it('matches the longest prefix, on whole segments only', () => {
    const table = createRouteTable();
    table.add('/', hub);
    table.add('/user/alice/', alice);
    table.add('/user/al', bob);
    assert.equal(table.match('/user/alice/api/kernels')?.target, alice);
    assert.equal(table.match('/user/alice')?.target, alice);
    assert.equal(table.match('/user/alice/')?.target, alice);
    assert.equal(table.match('/user/al/x')?.target, bob);
    assert.equal(table.match('/user/alicex/tree')?.target, hub);
    assert.equal(table.match('/hub/login')?.target, hub);
  });

  it('returns undefined when nothing matches and there is no default route', () => {
    const table = createRouteTable();
    table.add('/user/alice', alice);
    assert.equal(table.match('/hub/home'), undefined);
    assert.equal(table.match('/user/bob'), undefined);
  });

  it('ignores the query string and fragment', () => {
    const table = createRouteTable();
    table.add('/user/alice', alice);
    assert.equal(table.match('/user/alice?token=x/y')?.target, alice);
    assert.equal(table.match('/user?x=/user/alice'), undefined);
    assert.equal(table.match('/user/alice#frag')?.target, alice);
  });

  it('resolves dot segments before matching, as the backend will', () => {
    const table = createRouteTable();
    table.add('/user/alice', alice);
    table.add('/user/bob', bob);
    assert.equal(table.match('/user/bob/../alice/api')?.target, alice);
    assert.equal(table.match('/user/bob/%2E%2e/alice/api')?.target, alice);
    assert.equal(table.match('/user/./alice/api')?.target, alice);
    assert.equal(table.match('/user/alice/../../../hub'), undefined);
  });

  it('replaces a route on add and forgets it on remove', () => {
    const table = createRouteTable();
    table.add('/user/alice', alice, { user: 'alice' });
    table.add('/user/alice/', bob, { user: 'alice', v: 2 });
    assert.equal(table.list().length, 1);
    assert.equal(table.match('/user/alice/x')?.target, bob);
    assert.deepEqual(table.match('/user/alice/x')?.data, { user: 'alice', v: 2 });
    table.remove('/user/alice/');
    assert.equal(table.match('/user/alice/x'), undefined);
    assert.deepEqual(table.list(), []);
    table.remove('/never-added');
  });

  it('records lastActivity on add and on touch; list returns copies', () => {
    const added = new Date('2026-01-01T00:00:00Z');
    const table = createRouteTable({ now: () => added });
    table.add('/user/alice', alice, { user: 'alice' });
    assert.deepEqual(table.list(), [{ prefix: '/user/alice', target: alice, data: { user: 'alice' }, lastActivity: added }]);
    const later = new Date('2026-01-01T01:00:00Z');
    table.touch('/user/alice/', later);
    assert.deepEqual(table.match('/user/alice')?.lastActivity, later);
    const copy = table.list()[0];
    assert.ok(copy);
    copy.data.user = 'mallory';
    copy.lastActivity.setTime(0);
    assert.deepEqual(table.match('/user/alice')?.data, { user: 'alice' });
    assert.deepEqual(table.match('/user/alice')?.lastActivity, later);
    table.touch('/user/nobody', later);
  });

  it('tries host routes before path routes when a host is given', () => {
    const table = createRouteTable();
    table.add('/', hub);
    table.add('alice.example.org', alice);
    table.add('alice.example.org/lab', bob);
    assert.equal(table.match('/tree', 'Alice.example.org:443')?.target, alice);
    assert.equal(table.match('/lab/x', 'alice.example.org')?.target, bob);
    assert.equal(table.match('/tree', 'bob.example.org')?.target, hub);
    assert.equal(table.match('/tree')?.target, hub);
    table.remove('ALICE.example.org');
    table.remove('alice.example.org/lab/');
    assert.equal(table.match('/tree', 'alice.example.org')?.target, hub);
  });

  it('refuses targets that are not http(s) URLs', () => {
    const table = createRouteTable();
    assert.throws(() => table.add('/user/alice', 'not a url'), (err: unknown) => {
      assert.ok(err instanceof BulwarkError);
      assert.equal(err.code, 'PROXY_INVALID_ROUTE');
      return true;
    });
    assert.throws(() => table.add('/user/alice', 'file:///etc/passwd'), BulwarkError);
    assert.equal(table.list().length, 0);
  });
});
