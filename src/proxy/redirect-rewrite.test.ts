import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rewriteLocation } from './redirect-rewrite.js';

const target = new URL('http://127.0.0.1:36755');

describe('rewriteLocation', () => {
  it('puts the client Host in place of the backend address', () => {
    assert.equal(
      rewriteLocation(302, 'http://127.0.0.1:36755/user/alice/tree?x=1', target, 'hub.example:8000', { autoRewrite: true }),
      'http://hub.example:8000/user/alice/tree?x=1',
    );
  });

  it('changes the scheme when asked', () => {
    assert.equal(
      rewriteLocation(301, 'http://127.0.0.1:36755/a', target, 'hub.example', { autoRewrite: true, protocol: 'https' }),
      'https://hub.example/a',
    );
  });

  it('leaves relative locations, foreign hosts and non-redirects alone', () => {
    assert.equal(rewriteLocation(302, '/hub/login', target, 'hub.example', { autoRewrite: true }), '/hub/login');
    assert.equal(rewriteLocation(302, 'http://other:1/x', target, 'hub.example', { autoRewrite: true }), 'http://other:1/x');
    assert.equal(rewriteLocation(200, 'http://127.0.0.1:36755/x', target, 'hub.example', { autoRewrite: true }), 'http://127.0.0.1:36755/x');
  });
});
