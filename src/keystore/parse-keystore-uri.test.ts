import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BulwarkError } from '../errors/index.js';
import { parseKeystoreUri } from './parse-keystore-uri.js';

function rejects(uri: string, pattern: RegExp): void {
  assert.throws(
    () => parseKeystoreUri(uri),
    (error: unknown) => error instanceof BulwarkError && error.code === 'KEYSTORE_INVALID_URI' && pattern.test(error.message),
  );
}

describe('pkcs11: URIs (RFC 7512)', () => {
  test('the documented form', () => {
    const spec = parseKeystoreUri('pkcs11:token=hub%20token;object=tls;type=private?pin-source=file:/run/hub/pin&module-path=/usr/lib/softhsm/libsofthsm2.so');
    assert.deepEqual(spec, {
      kind: 'pkcs11',
      pathAttributes: [['token', 'hub%20token'], ['object', 'tls']],
      token: 'hub token',
      object: 'tls',
      idHex: null,
      pin: { kind: 'file', path: '/run/hub/pin' },
      modulePath: '/usr/lib/softhsm/libsofthsm2.so',
      certFile: null,
    });
  });
  test('id as percent-encoded bytes, PIN from the environment, chain from a file', () => {
    const spec = parseKeystoreUri('pkcs11:token=t;id=%01%A0?pin-source=env:HUB_PIN&cert-file=/etc/hub/chain.pem');
    assert.equal(spec.kind, 'pkcs11');
    if (spec.kind !== 'pkcs11') return;
    assert.equal(spec.idHex, '01a0');
    assert.deepEqual(spec.pin, { kind: 'env', name: 'HUB_PIN' });
    assert.equal(spec.certFile, '/etc/hub/chain.pem');
    assert.deepEqual(parseKeystoreUri('pkcs11:object=o?pin-env=P').kind === 'pkcs11' && (parseKeystoreUri('pkcs11:object=o?pin-env=P') as { pin: unknown }).pin, { kind: 'env', name: 'P' });
  });
  test('mistakes are refused and the PIN is never echoed', () => {
    rejects('pkcs11:token=t', /object= .* or id=/);
    rejects('pkcs11:token=t;object=o;type=cert', /type=private/);
    rejects('pkcs11:token=t;object=o?pin-value=1234&pin-source=file:/p', /only one of/);
    rejects('pkcs11:token=t;objekt=o?pin-value=1234', /unknown attribute "objekt"/);
    rejects('pkcs11:token=t;object=o?module-name=softhsm2', /module-path/);
    rejects('pkcs11:token=t;object=o?pin-source=file:relative/pin', /absolute/);
    assert.throws(() => parseKeystoreUri('pkcs11:token=t;objekt=o?pin-value=1234'), (error: Error) => !error.message.includes('1234'));
  });
});

describe('keyctl:, pkcs12:, pem:, safkeyring:', () => {
  test('keyctl:user:<description> with a keyring and passphrase', () => {
    assert.deepEqual(parseKeystoreUri('keyctl:user:hub:tls?passphrase-env=HUB_P12&keyring=@s'), {
      kind: 'keyctl', keyType: 'user', description: 'hub:tls', keyring: '@s', passphrase: { kind: 'env', name: 'HUB_P12' },
    });
    assert.deepEqual(parseKeystoreUri('keyctl:user:hubtls'), { kind: 'keyctl', keyType: 'user', description: 'hubtls', keyring: '@u', passphrase: null });
    rejects('keyctl:logon:hubtls', /cannot be read back/);
    rejects('keyctl:user:', /keyctl:user:<description>/);
    rejects('keyctl:user:x?keyring=@evil', /keyring/);
  });
  test('pkcs12: and pfx: with a passphrase source', () => {
    assert.deepEqual(parseKeystoreUri('pkcs12:/etc/hub/tls.p12?passphrase-file=/run/hub/p12pass'), {
      kind: 'pkcs12', path: '/etc/hub/tls.p12', passphrase: { kind: 'file', path: '/run/hub/p12pass' },
    });
    assert.deepEqual(parseKeystoreUri('pfx:/etc/hub/tls.pfx?passphrase-env=P'), { kind: 'pkcs12', path: '/etc/hub/tls.pfx', passphrase: { kind: 'env', name: 'P' } });
    rejects('pkcs12:/x.p12?passphrase-env=A&passphrase-file=/b', /not both/);
    rejects('pkcs12:x.p12', /absolute/);
    rejects('pkcs12:/x.p12?passphrase-env=9bad', /environment variable name/);
  });
  test('pem: needs key=', () => {
    assert.deepEqual(parseKeystoreUri('pem:/etc/hub/cert.pem?key=/etc/hub/key.pem'), {
      kind: 'pem', certPath: '/etc/hub/cert.pem', keyPath: '/etc/hub/key.pem', passphrase: null,
    });
    rejects('pem:/etc/hub/cert.pem', /key=KEY_PATH/);
  });
  test('safkeyring is recognised; unknown schemes are not', () => {
    assert.deepEqual(parseKeystoreUri('safkeyring://HUBUSER/HubRing&hubcert'), { kind: 'safkeyring', owner: 'HUBUSER', ring: 'HubRing', label: 'hubcert' });
    assert.deepEqual(parseKeystoreUri('safkeyring:////HUBUSER/HubRing'), { kind: 'safkeyring', owner: 'HUBUSER', ring: 'HubRing', label: null });
    rejects('file:/etc/hub.pem', /expected a pkcs11:/);
    rejects('/etc/hub.pem', /expected a pkcs11:/);
  });
});
