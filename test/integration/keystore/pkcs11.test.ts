import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tlsSection } from '../../../src/config/sections/tls.js';
import { loadKeystore } from '../../../src/keystore/index.js';
import { createSoftHsm, SOFTHSM_MODULE, type SoftHsm } from '../../helpers/softhsm.js';
import { assertRefused } from './keystore-errors.js';
import { serveKeystore } from './serve-keystore.js';
import { createTestPki, type TestPki } from './test-pki.js';
import { curlGet, httpsGet, sClient } from './tls-clients.js';

const settings = tlsSection.parse({});
const PIN = '4711';

describe('pkcs11: keystore on a SoftHSM2 token (key generated inside, never extractable)', () => {
  let hsm: SoftHsm;
  let pki: TestPki;
  let pinFile: string;
  let uri: string;

  before(() => {
    hsm = createSoftHsm();
    pki = createTestPki();
    hsm.createToken('hub', PIN);
    hsm.generateKey('hub', PIN, 'tls', '01');
    hsm.generateKey('hub', PIN, 'rsa', '02', 'rsa:2048');
    hsm.storeCertificate('hub', PIN, pki.sign(hsm.csr('hub', PIN, 'tls', '/CN=127.0.0.1')), 'tls', '01');
    hsm.storeCertificate('hub', PIN, pki.sign(hsm.csr('hub', PIN, 'rsa', '/CN=127.0.0.1')), 'rsa', '02');
    hsm.createToken('locked', PIN);
    hsm.generateKey('locked', PIN, 'tls', '01');
    hsm.storeCertificate('locked', PIN, pki.sign(hsm.csr('locked', PIN, 'tls', '/CN=127.0.0.1')), 'tls', '01');
    pinFile = join(hsm.dir, 'pin');
    writeFileSync(pinFile, PIN, { mode: 0o600 });
    uri = `pkcs11:token=hub;object=tls?pin-source=file:${pinFile}&module-path=${SOFTHSM_MODULE}`;
  });
  after(() => {
    hsm.remove();
    pki.remove();
  });

  test('the token reports the key as sensitive and never extractable', () => {
    const objects = hsm.listObjects('hub', PIN);
    assert.match(objects, /Private Key Object; EC[\s\S]*label:\s+tls[\s\S]*Access:\s+sensitive, always sensitive, never extractable, local/);
  });

  test('wrong PIN: refused with the URI named and the PIN not shown', async () => {
    await assertRefused(
      loadKeystore(`pkcs11:token=locked;object=tls?pin-source=env:HUB_PIN&module-path=${SOFTHSM_MODULE}`, settings, { env: { HUB_PIN: '0000' } }),
      'KEYSTORE_PKCS11_LOGIN_FAILED',
      /pkcs11:token=locked;object=tls\?pin-source=env:HUB_PIN/,
      ['0000'],
    );
  });

  test('serves TLS 1.3 to Node, curl and openssl s_client with the certificate read from the token', async () => {
    const keystore = await loadKeystore(uri, settings);
    assert.equal(keystore.kind, 'pkcs11');
    assert.equal(keystore.summary.subject, 'CN=127.0.0.1');
    assert.equal(keystore.summary.keyType, 'ec prime256v1');
    assert.deepEqual(keystore.summary.subjectAltNames, ['IP Address:127.0.0.1', 'DNS:localhost']);
    assert.equal(keystore.secureContext.privateKeyEngine, 'pkcs11');
    assert.equal(keystore.secureContext.key, undefined);
    const server = await serveKeystore(keystore);
    try {
      const answer = await httpsGet(server.url, pki.caPem);
      assert.equal(answer.status, 200);
      assert.equal(answer.body, 'ok from pkcs11');
      assert.equal(answer.protocol, 'TLSv1.3');
      const curl = await curlGet(server.url, pki.caPath);
      assert.equal(curl.code, 0, curl.stderr);
      assert.equal(curl.body, 'ok from pkcs11');
      const summary = await sClient(server.port, pki.caPath);
      assert.match(summary, /Protocol version: TLSv1\.3/);
      assert.match(summary, /Verification: OK/);
    } finally {
      await server.close();
    }
  });

  test('an RSA key, a PIN from the environment, and a PIN file ending in a newline also work (engine loaded again)', async () => {
    const rsa = await loadKeystore(`pkcs11:token=hub;object=rsa?pin-source=env:HUB_PIN&module-path=${SOFTHSM_MODULE}`, settings, { env: { HUB_PIN: PIN } });
    assert.equal(rsa.summary.keyType, 'rsa 2048');
    const newlineFile = join(hsm.dir, 'pin-nl');
    writeFileSync(newlineFile, `${PIN}\n`, { mode: 0o600 });
    const byId = await loadKeystore(`pkcs11:token=hub;id=%01?pin-source=file:${newlineFile}&module-path=${SOFTHSM_MODULE}`, settings);
    const server = await serveKeystore(byId);
    try {
      assert.equal((await httpsGet(server.url, pki.caPem)).protocol, 'TLSv1.3');
    } finally {
      await server.close();
    }
  });

  test('missing object, missing key behind a certificate file, and a certificate of another key are refused', async () => {
    await assertRefused(
      loadKeystore(`pkcs11:token=hub;object=nosuch?pin-source=file:${pinFile}&module-path=${SOFTHSM_MODULE}`, settings),
      'KEYSTORE_KEY_NOT_FOUND',
      /object=nosuch.*no certificate with label "nosuch"/,
    );
    const otherCert = join(hsm.dir, 'other.pem');
    writeFileSync(otherCert, pki.issue().certPem);
    await assertRefused(
      loadKeystore(`pkcs11:token=hub;object=nosuch?pin-source=file:${pinFile}&module-path=${SOFTHSM_MODULE}&cert-file=${otherCert}`, settings),
      'KEYSTORE_KEY_NOT_FOUND',
      /no private key with this label/,
    );
    await assertRefused(
      loadKeystore(`pkcs11:token=hub;object=tls?pin-source=file:${pinFile}&module-path=${SOFTHSM_MODULE}&cert-file=${otherCert}`, settings),
      'KEYSTORE_KEY_MISMATCH',
      /does not belong to the certificate/,
    );
  });

  test('no PIN source, a missing PIN file, and a missing engine are refused before the token is touched', async () => {
    await assertRefused(loadKeystore(`pkcs11:token=hub;object=tls?module-path=${SOFTHSM_MODULE}`, settings), 'KEYSTORE_INVALID_URI', /no PIN/);
    await assertRefused(
      loadKeystore(`pkcs11:token=hub;object=tls?pin-source=file:/nonexistent/pin&module-path=${SOFTHSM_MODULE}`, settings),
      'KEYSTORE_SECRET_UNAVAILABLE',
      /PIN from \/nonexistent\/pin: ENOENT/,
    );
    await assertRefused(
      loadKeystore(uri, { ...settings, pkcs11_engine: '/nonexistent/engines-3/pkcs11.so' }),
      'KEYSTORE_TOOL_MISSING',
      /libengine-pkcs11-openssl/,
    );
  });
});
