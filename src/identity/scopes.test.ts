import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userScopes } from './roles.js';
import { expandScopes, grants, holdsAny, intersectScopes, parseScope } from './scopes.js';

test('self expands to the user own resources, filtered to !user=<name>', () => {
  const scopes = userScopes({ name: 'alice', admin: false });
  assert.ok(scopes.has('access:servers!user=alice'));
  assert.ok(scopes.has('servers!user=alice'));
  assert.ok(scopes.has('read:users:name!user=alice'));
  assert.ok(![...scopes].some((s) => s.startsWith('admin')));
  // Besides reading the package channel (Bulwark's addition to the user role), all of it is alice's own.
  assert.ok(scopes.has('channel:read'));
  assert.ok([...scopes].filter((s) => s !== 'channel:read').every((s) => s.endsWith('!user=alice')));
});

test('admin role expands transitively without filters', () => {
  const scopes = userScopes({ name: 'root1', admin: true });
  for (const s of ['admin:users', 'users', 'read:users', 'read:users:name', 'admin:server_state', 'delete:servers', 'access:servers']) {
    assert.ok(scopes.has(s), s);
  }
  assert.ok(![...scopes].some((s) => s.startsWith('servers!user=')), 'unfiltered grants absorb filtered ones');
});

test('bare !server binds to the token server and keeps its trailing slash', () => {
  const scopes = expandScopes(['access:servers!server', 'users:activity!user'], { kind: 'user', name: 'alice', server: 'alice/' });
  assert.ok(scopes.has('access:servers!server=alice/'));
  assert.ok(scopes.has('users:activity!user=alice'));
  assert.ok(scopes.has('read:users:activity!user=alice'));
});

test('a token never exceeds its owner: intersection keeps what the owner covers', () => {
  const owner = userScopes({ name: 'alice', admin: false });
  const requested = expandScopes(['access:servers!server=alice/', 'access:servers!server=bob/', 'admin:users', 'read:users'], {
    kind: 'user',
    name: 'alice',
  });
  const effective = intersectScopes(requested, owner);
  assert.ok(effective.has('access:servers!server=alice/'));
  assert.ok(!effective.has('access:servers!server=bob/'));
  assert.ok(!effective.has('admin:users'));
  assert.ok(effective.has('read:users!user=alice'), 'unfiltered request shrinks to the owner filtered grant');
});

test('grants checks filters; holdsAny separates 403 from 404', () => {
  const scopes = userScopes({ name: 'alice', admin: false });
  assert.ok(grants(scopes, 'servers', { user: 'alice', server: 'alice/' }));
  assert.ok(!grants(scopes, 'servers', { user: 'bob', server: 'bob/' }));
  assert.ok(holdsAny(scopes, 'servers'));
  assert.ok(!holdsAny(scopes, 'admin:users'));
  assert.ok(grants(new Set(['read:users!group=team']), 'read:users', { user: 'carol', groups: ['team'] }));
});

test('unknown scopes are rejected', () => {
  assert.throws(() => parseScope('all'), /Unknown scope all/);
  assert.throws(() => parseScope('read:users!planet=mars'), /Unknown scope/);
  assert.deepEqual(parseScope('custom:reports:read'), { name: 'custom:reports:read' });
});
