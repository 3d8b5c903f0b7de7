import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import type { User } from '../../identity/index.js';
import { hubPaths } from '../paths.js';
import type { ServerView } from '../servers/server-manager.js';
import { serverModel, userModel } from './user-model.js';

const paths = hubPaths('/');
const user = { id: 7, name: 'amy', admin: false, lastActivity: null, createdAt: '2026-01-01T00:00:00.000Z' } as unknown as User;

function view(fields: Partial<ServerView>): ServerView {
  return { name: '', pending: null, ready: false, url: '/user/amy/', started: null, lastActivity: null, userOptions: {}, failure: null, notice: null, state: null, ...fields };
}

test('a stopped server says why it stopped; a running one has no stop reason but shows a limit hit', () => {
  const stopped = serverModel(view({ failure: 'stopped: memory limit (128M) exceeded' }), user, paths, false);
  assert.equal(stopped['stopped'], true);
  assert.equal(stopped['bulwark_stop_reason'], 'stopped: memory limit (128M) exceeded');
  assert.equal(stopped['bulwark_limit_notice'], null);
  const notice = 'memory limit (400M) exceeded: the kernel killed a process of this server (1 so far), usually a notebook kernel';
  const running = serverModel(view({ ready: true, notice, failure: 'an earlier failure' }), user, paths, false);
  assert.equal(running['bulwark_stop_reason'], null);
  assert.equal(running['bulwark_limit_notice'], notice);
  assert.equal('state' in running, false, 'state needs admin:server_state');
});

test('the owner sees the stop reason of a stopped server with read:servers (no admin scope needed)', () => {
  const model = userModel(user, {
    scopes: new Set(['read:servers!user=amy']),
    groups: [],
    roles: [],
    servers: [view({ failure: 'stopped: memory limit (128M) exceeded' })],
    paths,
  });
  const servers = model['servers'] as Record<string, Record<string, unknown>>;
  assert.equal(servers['']?.['bulwark_stop_reason'], 'stopped: memory limit (128M) exceeded');
});

test("JupyterHub's Server and User schemas leave room for the bulwark_ fields", () => {
  const reference = parse(readFileSync(new URL('../../../test/fixtures/jupyterhub/rest-api.yml', import.meta.url), 'utf8')) as {
    components: { schemas: Record<string, { properties: Record<string, unknown>; additionalProperties?: unknown }> };
  };
  for (const name of ['Server', 'User']) {
    const schema = reference.components.schemas[name];
    assert.ok(schema !== undefined);
    assert.ok(schema.additionalProperties === undefined || schema.additionalProperties === true, `${name} allows extra fields`);
    assert.deepEqual(Object.keys(schema.properties).filter((key) => key.startsWith('bulwark_')), []);
  }
});
