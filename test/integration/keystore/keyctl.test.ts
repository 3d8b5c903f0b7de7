import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { tlsSection } from '../../../src/config/sections/tls.js';
import { loadKeystore } from '../../../src/keystore/index.js';
import { assertRefused } from './keystore-errors.js';
import { addUserKey, requireKeyctl } from './keyring-entry.js';
import { serveKeystore } from './serve-keystore.js';
import { createTestPki, type TestPki } from './test-pki.js';
import { curlGet, httpsGet } from './tls-clients.js';

const settings = tlsSection.parse({});

describe('keyctl: keystore in the kernel keyring', () => {
  let pki: TestPki;
  const removers: Array<() => void> = [];
  const tag = randomBytes(4).toString('hex');

  before(() => {
    requireKeyctl();
    pki = createTestPki();
  });
  after(() => {
    for (const remove of removers) remove();
    pki.remove();
  });

  test('a PEM bundle with a PKCS#8 key serves TLS 1.3 (Node client and curl)', async () => {
    const issued = pki.issue();
    const entry = addUserKey(`bulwark-test:${tag}:pem`, `${issued.certPem}${pki.caPem}${issued.keyPem}`);
    removers.push(entry.remove);
    const keystore = await loadKeystore(`keyctl:user:bulwark-test:${tag}:pem`, settings);
    assert.equal(keystore.kind, 'keyctl');
    assert.equal(keystore.chain.length, 2);
    assert.equal(keystore.summary.chainToRoot, true);
    const server = await serveKeystore(keystore);
    try {
      const answer = await httpsGet(server.url, pki.caPem);
      assert.equal(answer.body, 'ok from keyctl');
      assert.equal(answer.protocol, 'TLSv1.3');
      const curl = await curlGet(server.url, pki.caPath);
      assert.equal(curl.code, 0, curl.stderr);
    } finally {
      await server.close();
    }
  });

  test('a PKCS#12 bundle in the keyring opens with its passphrase from the environment', async () => {
    const p12 = pki.pkcs12(pki.issue(), 'kr-pass');
    const entry = addUserKey(`bulwark-test:${tag}:p12`, p12);
    removers.push(entry.remove);
    const uri = `keyctl:user:bulwark-test:${tag}:p12?passphrase-env=HUB_P12`;
    const keystore = await loadKeystore(uri, settings, { env: { HUB_P12: 'kr-pass' } });
    assert.equal(keystore.summary.subject, 'CN=127.0.0.1');
    await assertRefused(loadKeystore(uri, settings, { env: { HUB_P12: 'nope' } }), 'KEYSTORE_WRONG_PASSPHRASE', /keyctl:user:bulwark-test/, ['nope']);
    await assertRefused(loadKeystore(uri, settings, { env: {} }), 'KEYSTORE_SECRET_UNAVAILABLE', /environment variable HUB_P12/);
  });

  test('a missing entry and a bundle without a key are refused, naming the description', async () => {
    await assertRefused(loadKeystore(`keyctl:user:bulwark-test:${tag}:absent`, settings), 'KEYSTORE_KEY_NOT_FOUND', /no user key "bulwark-test:[0-9a-f]+:absent".*keyctl padd/);
    const entry = addUserKey(`bulwark-test:${tag}:nokey`, pki.issue().certPem);
    removers.push(entry.remove);
    await assertRefused(loadKeystore(`keyctl:user:bulwark-test:${tag}:nokey`, settings), 'KEYSTORE_BUNDLE_INVALID', /1 certificate\(s\) and 0 private key/);
  });
});
