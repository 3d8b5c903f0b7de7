// The OpenAPI document the hub serves is generated from its route registry: every documented
// path+method is a registered route, and the paths/methods match JupyterHub's own rest-api.yml
// except for the differences listed (and explained) below.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { fastifyPath } from '../../../src/hub/api/api-registry.js';
import { startApiHub, type ApiHub } from './api-hub.js';
import { InProcessSpawner } from './fake-spawner.js';

type Document = { paths: Record<string, Record<string, unknown>> };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** JupyterHub 5.5.1 endpoints Bulwark does not serve, with the reason (none at present). */
const NOT_SERVED: Record<string, string> = {};

/** Endpoints Bulwark serves that rest-api.yml does not list, with the reason. */
const EXTRA: Record<string, string> = {
  'GET ': 'the API root without a slash: single-user servers call it to read X-JupyterHub-Version',
  'GET /health': 'JupyterHub serves it (api/health) but leaves it out of rest-api.yml',
  'POST /users/{name}/admin-access': 'deprecated no-op that JupyterHub still routes but does not document',
  'GET /metrics': 'JupyterHub serves it (api/metrics) but leaves it out of rest-api.yml',
  'GET /openapi.json': 'this generated document (Bulwark extension)',
  'POST /services/{name}': 'runtime services: in JupyterHub 5.x code (ServiceAPIHandler.post) but not in rest-api.yml',
  'DELETE /services/{name}': 'runtime services: in JupyterHub 5.x code (ServiceAPIHandler.delete) but not in rest-api.yml',
  'POST /users/{name}/password': 'admins set an initial or new password for a native account (Bulwark extension)',
  'POST /groups': 'bulk group creation exists in JupyterHub but is not in rest-api.yml',
  'POST /users/{name}/servers/': 'empty server name = default server (used by the 5.x admin page), same handler as /server',
  'DELETE /users/{name}/servers/': 'empty server name = default server',
  'GET /share-codes/{owner}/': 'empty server name = default server (share codes)',
  'POST /share-codes/{owner}/': 'empty server name = default server',
  'DELETE /share-codes/{owner}/': 'empty server name = default server',
  'GET /shares/{owner}/': 'empty server name = default server (sharing), same handler as /shares/{owner}/{server_name}',
  'POST /shares/{owner}/': 'empty server name = default server',
  'PATCH /shares/{owner}/': 'empty server name = default server',
  'DELETE /shares/{owner}/': 'empty server name = default server',
  'GET /users/{name}/shared/{owner}/': 'empty server name = default server',
  'DELETE /users/{name}/shared/{owner}/': 'empty server name = default server',
  'GET /groups/{name}/shared/{owner}/': 'empty server name = default server',
  'DELETE /groups/{name}/shared/{owner}/': 'empty server name = default server',
  'GET /users/{name}/server/progress': 'progress exists in JupyterHub but is not in rest-api.yml',
  'GET /users/{name}/servers/{server_name}/progress': 'progress exists in JupyterHub but is not in rest-api.yml',
};

function operations(document: Document): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of Object.keys(item)) if (METHODS.includes(method)) out.add(`${method.toUpperCase()} ${path}`);
  }
  return out;
}

/** rest-api.yml names path parameters differently in places; compare shapes, not names. */
const shape = (operation: string) => operation.replace(/\{[^}]+\}/g, '{}');

let hub: ApiHub;
let ours: Document;
before(async () => {
  hub = await startApiHub({}, new InProcessSpawner());
  ours = (await (await fetch(`${hub.url}/hub/api/openapi.json`)).json()) as Document;
});
after(async () => hub?.close());

test('every operation of the generated OpenAPI document is a registered route, and it is valid OpenAPI 3', () => {
  const document = ours as Document & { openapi: string; servers: Array<{ url: string }> };
  assert.equal(document.openapi, '3.0.3');
  const prefix = document.servers[0]?.url ?? '';
  assert.equal(prefix, '/hub/api');
  const ops = operations(document);
  assert.ok(ops.size > 40, `only ${ops.size} operations`);
  for (const operation of ops) {
    const [method = '', path = ''] = operation.split(' ');
    assert.ok(hub.handle.app.hasRoute({ method, url: fastifyPath(prefix, path) }), `${operation} is documented but not routed`);
    const entry = document.paths[path]?.[method.toLowerCase()] as { responses: Record<string, unknown>; summary: string };
    assert.ok(entry.summary, `${operation} has a summary`);
    assert.ok(Object.keys(entry.responses).length > 0, `${operation} documents its responses`);
  }
});

test('a route under the API prefix that bypasses the registry stops the app from building', async () => {
  const { default: Fastify } = await import('fastify');
  const { createApiRegistry } = await import('../../../src/hub/api/api-registry.js');
  const app = Fastify();
  createApiRegistry(app, '/hub/api');
  assert.throws(() => app.get('/hub/api/sneaky', async () => ({})), /must be declared through the API registry/);
  await app.close();
});

test("paths and methods match JupyterHub's rest-api.yml, apart from the listed differences", () => {
  const reference = parse(readFileSync(new URL('../../fixtures/jupyterhub/rest-api.yml', import.meta.url), 'utf8')) as Document;
  const theirs = operations(reference);
  const mine = operations(ours);
  const mineShapes = new Set([...mine].map(shape));
  const theirShapes = new Set([...theirs].map(shape));
  const missing = [...theirs].filter((op) => !mineShapes.has(shape(op)) && !(op in NOT_SERVED));
  assert.deepEqual(missing, [], 'JupyterHub endpoints we neither serve nor list as a known difference');
  const stale = Object.keys(NOT_SERVED).filter((op) => mineShapes.has(shape(op)) || !theirShapes.has(shape(op)));
  assert.deepEqual(stale, [], 'NOT_SERVED entries that are now served or no longer in rest-api.yml');
  const extra = [...mine].filter((op) => !theirShapes.has(shape(op)) && !(op in EXTRA));
  assert.deepEqual(extra, [], 'endpoints we serve that JupyterHub does not document and the test does not explain');
});
