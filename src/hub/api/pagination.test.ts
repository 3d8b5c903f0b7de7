import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { pageOf, paginate } from './pagination.js';

function request(url: string, accept = 'application/json'): FastifyRequest {
  const query = Object.fromEntries(new URL(url, 'http://x').searchParams);
  return { url, query, headers: { accept, host: 'hub.example:8000' }, protocol: 'http' } as unknown as FastifyRequest;
}

const envelope = 'application/json, application/jupyterhub-pagination+json';

test('plain lists default to the maximum page; the envelope to 50', () => {
  assert.deepEqual(pageOf(request('/hub/api/users')), { offset: 0, limit: 200, envelope: false });
  assert.deepEqual(pageOf(request('/hub/api/users', envelope)), { offset: 0, limit: 50, envelope: true });
});

test('limits are made absolute and clamped to [1, 200]; non-integers are a 400', () => {
  assert.equal(pageOf(request('/x?limit=0')).limit, 1);
  assert.equal(pageOf(request('/x?limit=-7&offset=-3')).limit, 7);
  assert.equal(pageOf(request('/x?limit=-7&offset=-3')).offset, 3);
  assert.equal(pageOf(request('/x?limit=5000')).limit, 200);
  assert.throws(() => pageOf(request('/x?offset=1.5')), /offset and limit must be integers/);
});

test('the envelope links the next page from the request URL, keeping other arguments', () => {
  const req = request('/hub/api/users?state=ready&limit=2', envelope);
  const result = paginate(req, pageOf(req), ['a', 'b', 'c']) as { items: string[]; _pagination: { next: { url: string } | null; total: number } };
  assert.deepEqual(result.items, ['a', 'b']);
  assert.equal(result._pagination.total, 3);
  assert.equal(result._pagination.next?.url, 'http://hub.example:8000/hub/api/users?state=ready&limit=2&offset=2');
  const last = request('/hub/api/users?offset=2&limit=2', envelope);
  assert.equal((paginate(last, pageOf(last), ['a', 'b', 'c']) as { _pagination: { next: unknown } })._pagination.next, null);
});
