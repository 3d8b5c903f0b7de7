import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenFromAuthorization } from './credentials.js';

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

test('reads the token from Basic __token__, token and bearer headers', () => {
  assert.equal(tokenFromAuthorization({ authorization: basic('__token__:abc123') }), 'abc123');
  assert.equal(tokenFromAuthorization({ authorization: 'token abc123' }), 'abc123');
  assert.equal(tokenFromAuthorization({ authorization: 'Bearer abc123' }), 'abc123');
  assert.equal(tokenFromAuthorization({}), undefined);
});

test('refuses other Basic users, empty passwords and unknown schemes', () => {
  assert.equal(tokenFromAuthorization({ authorization: basic('alice:secret') }), null);
  assert.equal(tokenFromAuthorization({ authorization: basic('__token__:') }), null);
  assert.equal(tokenFromAuthorization({ authorization: 'Digest xyz' }), null);
  assert.equal(tokenFromAuthorization({ authorization: 'garbage' }), null);
});
