import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BulwarkError } from '../errors/index.js';
import { readSecret } from './read-secret.js';

test('a secret from the environment; a missing one names the variable, never a value', () => {
  assert.deepEqual(readSecret('u', 'passphrase', { kind: 'env', name: 'P' }, { P: 's3cret' }), { value: 's3cret', warnings: [] });
  assert.throws(
    () => readSecret('pkcs12:/x.p12?passphrase-env=P', 'passphrase', { kind: 'env', name: 'P' }, {}),
    (error: unknown) => error instanceof BulwarkError && error.code === 'KEYSTORE_SECRET_UNAVAILABLE' && /environment variable P: it is not set/.test(error.message),
  );
});

test('pin-value works but warns that the PIN sits in the configuration', () => {
  const result = readSecret('u', 'PIN', { kind: 'value', value: '1234' }, {});
  assert.equal(result.value, '1234');
  assert.match(result.warnings.join(''), /pin-source=file:/);
});
