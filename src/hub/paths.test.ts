import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hubPaths, safeNextUrl } from './paths.js';

test('paths follow base_url', () => {
  const paths = hubPaths('/jupyter/');
  assert.equal(paths.hub, '/jupyter/hub/');
  assert.equal(paths.api, '/jupyter/hub/api');
  assert.equal(paths.userServer('alice'), '/jupyter/user/alice/');
  assert.equal(paths.userServer('alice', 'gpu'), '/jupyter/user/alice/gpu/');
});

test('next URLs must stay on this site; /user/ paths go through /hub/user/', () => {
  const paths = hubPaths('/');
  assert.equal(safeNextUrl('/hub/home', paths), '/hub/home');
  assert.equal(safeNextUrl('/user/alice/tree?x=1', paths), '/hub/user/alice/tree?x=1');
  for (const bad of ['//evil.example/x', 'https://evil.example/', '/\\evil', 'javascript:alert(1)', '/x\r\nSet-Cookie: a=b', '']) {
    assert.equal(safeNextUrl(bad, paths), undefined, bad);
  }
});
