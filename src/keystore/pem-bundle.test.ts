import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksLikePem, splitPemBundle } from './pem-bundle.js';

const cert = '-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----';
const key = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nREVG\n-----END ENCRYPTED PRIVATE KEY-----';

test('splits a bundle into certificates and keys, ignoring other blocks', () => {
  const bundle = splitPemBundle(`junk\n${cert}\n${key}\n-----BEGIN X509 CRL-----\nx\n-----END X509 CRL-----\n${cert}`);
  assert.deepEqual(bundle, { certificates: [cert, cert], privateKeys: [key] });
});

test('tells PEM text from DER', () => {
  assert.equal(looksLikePem(Buffer.from(`\n${cert}`)), true);
  assert.equal(looksLikePem(Buffer.from([0x30, 0x82, 0x01, 0x00])), false);
});
