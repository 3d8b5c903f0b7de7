import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactKeystoreUri } from './redact-keystore-uri.js';

test('pin-value is hidden wherever it appears; sources stay visible', () => {
  assert.equal(
    redactKeystoreUri('pkcs11:token=t;object=o;pin-value=1234?pin-value=9876&module-path=/m.so'),
    'pkcs11:token=t;object=o;pin-value=***?pin-value=***&module-path=/m.so',
  );
  assert.equal(
    redactKeystoreUri('pkcs12:/etc/hub.p12?passphrase-env=HUB_P12&passphrase=hunter2'),
    'pkcs12:/etc/hub.p12?passphrase-env=HUB_P12&passphrase=***',
  );
  assert.equal(redactKeystoreUri('pkcs11:token=t;object=o?pin-source=file:/run/pin'), 'pkcs11:token=t;object=o?pin-source=file:/run/pin');
});
