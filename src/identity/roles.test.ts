import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRoleBook } from './roles.js';
import { grants, intersectScopes } from './scopes.js';

const book = createRoleBook([
  { name: 'culler', scopes: ['list:users', 'read:users:activity', 'read:servers', 'delete:servers'], services: ['idle-culler'] },
  { name: 'team-lead', scopes: ['servers!group=team', 'read:users!group=team'], users: ['lee'], groups: ['leads'] },
  { name: 'user', users: ['extra'] },
]);

test('configured roles are held directly by users and through groups', () => {
  assert.deepEqual(book.userRoles({ name: 'lee', admin: false }), ['team-lead', 'user']);
  assert.deepEqual(book.userRoles({ name: 'max', admin: true }), ['admin', 'user']);
  assert.deepEqual(book.groupRoles('leads'), ['team-lead']);
  const viaGroup = book.userScopes({ name: 'max', admin: false }, ['leads']);
  assert.ok(grants(viaGroup, 'servers', { user: 'tom', groups: ['team'] }), 'group role grants on members of the filtered group');
  assert.ok(!grants(viaGroup, 'servers', { user: 'ann', groups: ['other'] }));
  assert.ok(grants(viaGroup, 'delete:servers', { user: 'tom', server: 'tom/', groups: ['team'] }), 'sub-scopes keep the group filter');
});

test('re-listing a built-in role adds members but keeps its scopes; admin scopes cannot change', () => {
  assert.equal(book.definitions.get('user')?.scopes.join(), 'self,channel:read');
  const changed = createRoleBook([{ name: 'admin', scopes: ['read:hub'] }]);
  assert.ok(changed.definitions.get('admin')?.scopes.includes('admin:users'));
});

test('service roles: no self, bare !service filters bind to the service', () => {
  const scopes = book.serviceScopes('idle-culler', false);
  assert.ok(scopes.has('list:users') && scopes.has('delete:servers'));
  const own = createRoleBook([{ name: 'own', scopes: ['read:services!service', 'self'], services: ['svc'] }]).serviceScopes('svc', false);
  assert.ok(own.has('read:services!service=svc'));
  assert.ok(![...own].some((s) => s.includes('!user=')));
});

test('unknown scopes in a role stop start-up with the role path', () => {
  assert.throws(() => createRoleBook([{ name: 'broken', scopes: ['read:everything'] }]), /roles\[0\]\.scopes/);
});

test('a token inheriting group-filtered scopes keeps them', () => {
  const owner = book.userScopes({ name: 'max', admin: false }, ['leads']);
  const kept = intersectScopes(owner, owner);
  assert.ok(kept.has('servers!group=team'));
});
