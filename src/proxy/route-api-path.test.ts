import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prefixFromRoutePath, routePathFromApiUrl } from './route-api-path.js';

describe('routePathFromApiUrl', () => {
  it('decodes, adds the leading slash and drops the trailing one', () => {
    assert.equal(routePathFromApiUrl('/api/routes/user/alice/'), '/user/alice');
    assert.equal(routePathFromApiUrl('/api/routes/user/a%40b/srv%20x'), '/user/a@b/srv x');
    assert.equal(routePathFromApiUrl('/api/routes'), '/');
    assert.equal(routePathFromApiUrl('/api/routes/'), '/');
    assert.equal(routePathFromApiUrl('/api/routes?inactive_since=x'), '/');
  });

  it('refuses paths outside the route API and bad encodings', () => {
    assert.equal(routePathFromApiUrl('/api/'), undefined);
    assert.equal(routePathFromApiUrl('/api/routesx'), undefined);
    assert.equal(routePathFromApiUrl('/api/routes/%E0%A4%A'), undefined);
  });
});

describe('prefixFromRoutePath', () => {
  it('turns the first segment into the host with host routing', () => {
    assert.equal(prefixFromRoutePath('/alice.hub.example/user/alice', true), 'alice.hub.example/user/alice');
    assert.equal(prefixFromRoutePath('/', true), '/');
    assert.equal(prefixFromRoutePath('/user/alice', false), '/user/alice');
  });
});
