// Real Chromium completes the TLS handshake with a hub whose key sits on a PKCS#11 token.
// Chromium trusts the test CA through --ignore-certificate-errors-spki-list (the CA's SPKI hash,
// which matches because the hub sends the CA in its chain), so no system or NSS store is touched.
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_PATH } from '../../helpers/browser.js';
import { createSoftHsm, SOFTHSM_MODULE, type SoftHsm } from '../../helpers/softhsm.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { createTestPki, type TestPki } from './test-pki.js';

const PIN = '1357';
let pki: TestPki;
let hsm: SoftHsm;
let hub: TestHub;
let browser: Browser;

before(async () => {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium (scripts/setup.sh --test)`);
  pki = createTestPki();
  hsm = createSoftHsm();
  hsm.createToken('hub', PIN);
  hsm.generateKey('hub', PIN, 'tls', '01');
  // The chain (leaf + CA) comes from cert-file=, so the CA is presented and its SPKI hash can match.
  const chainFile = join(hsm.dir, 'chain.pem');
  writeFileSync(chainFile, `${pki.sign(hsm.csr('hub', PIN, 'tls', '/CN=127.0.0.1'))}${pki.caPem}`);
  const pinFile = join(hsm.dir, 'pin');
  writeFileSync(pinFile, PIN, { mode: 0o600 });
  hub = await startTestHub({ 'hub.tls.keystore': `pkcs11:token=hub;object=tls?pin-source=file:${pinFile}&module-path=${SOFTHSM_MODULE}&cert-file=${chainFile}` });
  const caSpki = new X509Certificate(pki.caPem).publicKey.export({ type: 'spki', format: 'der' });
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
      `--ignore-certificate-errors-spki-list=${createHash('sha256').update(caSpki).digest('base64')}`],
  });
});

after(async () => {
  await browser?.close();
  await hub?.close();
  hsm?.remove();
  pki?.remove();
});

test('Chromium loads the login page over TLS 1.3 from the token-held key', async () => {
  const page = await browser.newPage();
  const response = await page.goto(`${hub.url}/hub/login`);
  assert.equal(response?.status(), 200);
  const security = await response?.securityDetails();
  assert.equal(security?.protocol, 'TLS 1.3');
  assert.equal(security?.subjectName, '127.0.0.1');
  assert.equal(security?.issuer, 'Bulwark Test CA');
  assert.match(await page.content(), /name="password"/);
});
