import assert from 'node:assert/strict';
import { test } from 'node:test';
import { opensslFailure } from './openssl-failure.js';

const uri = 'pkcs12:/etc/hub.p12';
const opensslError = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

test("OpenSSL's words map to the keystore's error codes", () => {
  const cases: Array<[Error, string]> = [
    [opensslError('error:05800074:x509 certificate routines::key values mismatch', 'ERR_OSSL_X509_KEY_VALUES_MISMATCH'), 'KEYSTORE_KEY_MISMATCH'],
    [opensslError('error:418000A0:PKCS#11 module::PIN incorrect', 'ERR_OSSL_PIN_INCORRECT'), 'KEYSTORE_PKCS11_LOGIN_FAILED'],
    [opensslError('error:40800065:pkcs11 engine::object not found', 'ERR_OSSL_OBJECT_NOT_FOUND'), 'KEYSTORE_KEY_NOT_FOUND'],
    [opensslError('Unsupported PKCS12 PFX data'), 'KEYSTORE_PKCS12_LEGACY'],
    [opensslError('mac verify failure'), 'KEYSTORE_WRONG_PASSPHRASE'],
    [opensslError('error:1C800064:Provider routines::bad decrypt'), 'KEYSTORE_WRONG_PASSPHRASE'],
    [opensslError('something else entirely'), 'KEYSTORE_UNUSABLE'],
  ];
  for (const [error, code] of cases) {
    const mapped = opensslFailure(uri, error, 'CN=hub');
    assert.equal(mapped.code, code, error.message);
    assert.match(mapped.message, /pkcs12:\/etc\/hub\.p12/);
  }
});
