// The hub served over TLS from each keystore: /hub/api over https (Node client, curl, s_client),
// HSTS and TLS-only, a real single-user server reaching the hub API, SIGHUP reload, refusals that
// leave no listener, and no private key file anywhere Bulwark writes.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BulwarkError } from '../../../src/errors/index.js';
import { cliActor } from '../../../src/log/index.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { findFreePort } from '../../helpers/ports.js';
import { createSoftHsm, SOFTHSM_MODULE, type SoftHsm } from '../../helpers/softhsm.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { findKeyFiles, keyFingerprints } from './no-key-files.js';
import { addUserKey, requireKeyctl } from './keyring-entry.js';
import { createTestPki, type TestPki } from './test-pki.js';
import { curlGet, httpsGet, sClient } from './tls-clients.js';

const PIN = '2468';
let pki: TestPki;
let hsm: SoftHsm;
const cleanups: Array<() => void | Promise<void>> = [];
const uris: Record<string, string> = {};
const keyPatterns: Buffer[] = [];
let bootedAt: Date;

before(() => {
  requireKeyctl();
  pki = createTestPki();
  hsm = createSoftHsm();
  cleanups.push(() => pki.remove(), () => hsm.remove());
  hsm.createToken('hub', PIN);
  hsm.generateKey('hub', PIN, 'tls', '01');
  hsm.storeCertificate('hub', PIN, pki.sign(hsm.csr('hub', PIN, 'tls', '/CN=127.0.0.1')), 'tls', '01');
  hsm.createToken('other', PIN);
  const pinFile = join(hsm.dir, 'pin');
  writeFileSync(pinFile, PIN, { mode: 0o600 });
  uris['pkcs11'] = `pkcs11:token=hub;object=tls?pin-source=file:${pinFile}&module-path=${SOFTHSM_MODULE}`;

  const inKeyring = pki.issue();
  const description = `bulwark-hub-test:${process.pid}`;
  const entry = addUserKey(description, `${inKeyring.certPem}${inKeyring.keyPem}`);
  cleanups.push(entry.remove);
  uris['keyctl'] = `keyctl:user:${description}`;

  const inP12 = pki.issue();
  const p12Path = join(pki.dir, 'hub.p12');
  const p12 = pki.pkcs12(inP12, 'hub-p12-pass');
  writeFileSync(p12Path, p12, { mode: 0o600 });
  process.env['BULWARK_TEST_P12_PASS'] = 'hub-p12-pass';
  uris['pkcs12'] = `pkcs12:${p12Path}?passphrase-env=BULWARK_TEST_P12_PASS`;
  keyPatterns.push(...keyFingerprints(inKeyring.keyPem), ...keyFingerprints(inP12.keyPem), p12.subarray(0, 256));
  bootedAt = new Date(Date.now() - 1000);
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function refusesWithoutListening(uri: string, code: string, env: Record<string, string> = {}): Promise<void> {
  const port = await findFreePort();
  Object.assign(process.env, env);
  const error = await startTestHub({ 'hub.bind_url': `http://127.0.0.1:${port}`, 'hub.tls.keystore': uri }).then(
    () => assert.fail('the hub started'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof BulwarkError && error.code === code, String(error));
  assert.match(error.message, /Keystore /);
  const refused = await new Promise<string>((resolve) => {
    httpRequest({ host: '127.0.0.1', port, path: '/hub/api' }, () => resolve('answered')).on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error')).end();
  });
  assert.equal(refused, 'ECONNREFUSED', 'nothing listens after a refused keystore');
}

describe('refusals at boot leave no listener', () => {
  test('wrong PIN, missing object, wrong passphrase, expired certificate', async () => {
    // First in the file on purpose: once this process has logged in to the token, PKCS#11 keeps
    // the login and a later wrong PIN would not be asked for.
    const envPin = `pkcs11:token=hub;object=tls?pin-source=env:BULWARK_TEST_PIN&module-path=${SOFTHSM_MODULE}`;
    await refusesWithoutListening(envPin, 'KEYSTORE_PKCS11_LOGIN_FAILED', { BULWARK_TEST_PIN: '1111' });
    await refusesWithoutListening(envPin.replace('token=hub', 'token=other'), 'KEYSTORE_KEY_NOT_FOUND', { BULWARK_TEST_PIN: PIN });
    await refusesWithoutListening(uris['pkcs12'] ?? '', 'KEYSTORE_WRONG_PASSPHRASE', { BULWARK_TEST_P12_PASS: 'not-it' });
    process.env['BULWARK_TEST_P12_PASS'] = 'hub-p12-pass';
    const expired = pki.issue({ notBefore: new Date(Date.now() - 5 * 86400_000), notAfter: new Date(Date.now() - 86400_000) });
    const entry = addUserKey(`bulwark-hub-test:${process.pid}:expired`, `${expired.certPem}${expired.keyPem}`);
    cleanups.push(entry.remove);
    await refusesWithoutListening(`keyctl:user:bulwark-hub-test:${process.pid}:expired`, 'KEYSTORE_CERT_EXPIRED');
  });
});

for (const kind of ['pkcs11', 'keyctl', 'pkcs12'] as const) {
  describe(`hub over TLS from ${kind}:`, () => {
    let hub: TestHub;
    before(async () => {
      hub = await startTestHub({ 'hub.tls.keystore': uris[kind] });
    });
    after(async () => hub?.close());

    test('/hub/api answers over https (TLS 1.3) with HSTS; plain http is not served', async () => {
      assert.match(hub.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const answer = await httpsGet(`${hub.url}/hub/api`, pki.caPem);
      assert.equal(answer.status, 200);
      assert.equal(answer.protocol, 'TLSv1.3');
      assert.ok('version' in (JSON.parse(answer.body) as object));
      assert.equal(answer.headers['strict-transport-security'], 'max-age=31536000', 'hub.tls.hsts defaults: one year, no includeSubDomains');
      const curl = await curlGet(`${hub.url}/hub/api`, pki.caPath);
      assert.equal(curl.code, 0, curl.stderr);
      assert.equal(curl.status, '200');
      assert.match(await sClient(hub.handle.port, pki.caPath), /Protocol version: TLSv1\.3[\s\S]*Verification: OK|Verification: OK[\s\S]*Protocol version: TLSv1\.3/);
      const plain = await new Promise<string>((resolve) => {
        httpRequest({ host: '127.0.0.1', port: hub.handle.port, path: '/hub/api' }, (res) => resolve(String(res.statusCode))).on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error')).end();
      });
      assert.notEqual(plain, '200', 'the public listener speaks TLS only');
    });
  });
}

describe('single-user server and reload', () => {
  let hub: TestHub;
  let alice: OsUser;
  let certDir: string;
  before(async () => {
    alice = await createOsUser();
    const first = pki.issue({ cn: 'first' });
    certDir = pki.dir;
    writeFileSync(join(certDir, 'reload.crt'), first.certPem);
    writeFileSync(join(certDir, 'reload.key'), first.keyPem, { mode: 0o600 });
    hub = await startTestHub({ 'hub.tls.keystore': `pem:${join(certDir, 'reload.crt')}?key=${join(certDir, 'reload.key')}` });
  });
  after(async () => {
    await hub?.close();
    if (alice) await removeOsUser(alice);
  });

  test('the real jupyterhub-singleuser reaches the hub API (loopback http) while users use https', async () => {
    const owner = await hub.handle.services.users.create({ name: alice.name, password: 'alice-password-1', authorized: true }, cliActor);
    const token = (await hub.handle.services.tokens.create({ owner, note: 'tls test' }, cliActor)).token;
    const headers = { authorization: `token ${token}` };
    const started = await httpsGet(`${hub.url}/hub/api/users/${alice.name}/server`, pki.caPem, { method: 'POST', headers });
    assert.ok([201, 202].includes(started.status), `${started.status} ${started.body}`);
    const view = await hub.handle.servers.waitForSpawn(owner, '', 60_000);
    assert.equal(view?.ready, true, `spawn failed: ${view?.failure ?? 'still pending'}`);
    const environ = readFileSync(`/proc/${view?.state?.pid ?? 0}/environ`, 'utf8').split('\0');
    assert.ok(environ.some((line) => /^JUPYTERHUB_API_URL=http:\/\/127\.0\.0\.1:\d+\/hub\/api$/.test(line)), environ.filter((l) => l.startsWith('JUPYTERHUB_API')).join(' '));
    const status = await httpsGet(`${hub.url}/user/${alice.name}/api/status`, pki.caPem, { headers });
    assert.equal(status.status, 200, status.body);
    assert.ok('kernels' in (JSON.parse(status.body) as object));
  });

  test('SIGHUP swaps the certificate for new connections without dropping open ones', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: pki.caPem });
    try {
      const before = await httpsGet(`${hub.url}/hub/api`, pki.caPem, { agent });
      assert.equal(before.status, 200);
      const second = pki.issue({ cn: 'second' });
      writeFileSync(join(certDir, 'reload.crt'), second.certPem);
      writeFileSync(join(certDir, 'reload.key'), second.keyPem, { mode: 0o600 });
      process.kill(process.pid, 'SIGHUP');
      const deadline = Date.now() + 10_000;
      let subject = '';
      while (Date.now() < deadline) {
        subject = (await sClient(hub.handle.port, pki.caPath)).match(/Peer certificate: (.*)/)?.[1] ?? '';
        if (subject.includes('second')) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.match(subject, /CN ?= ?second/);
      const kept = await httpsGet(`${hub.url}/hub/api`, pki.caPem, { agent });
      assert.equal(kept.status, 200, 'the kept-alive connection still answers');
    } finally {
      agent.destroy();
    }
  });
});

describe('no private key file written by Bulwark', () => {
  test('nothing under the data directories or /tmp holds the keyctl or PKCS#12 key', async () => {
    const hubs = [await startTestHub({ 'hub.tls.keystore': uris['keyctl'] }), await startTestHub({ 'hub.tls.keystore': uris['pkcs12'] })];
    try {
      const control = findKeyFiles([pki.dir], null, keyPatterns).map((finding) => finding.path);
      assert.ok(control.includes(join(pki.dir, 'hub.p12')), `the scan finds the test's own bundle: ${control.join(', ')}`);
      for (const hub of hubs) assert.deepEqual(findKeyFiles([hub.dataDir], null, keyPatterns), [], `data dir ${hub.dataDir}`);
      const findings = findKeyFiles(['/tmp', '/dev/shm', '/var/tmp'], bootedAt, keyPatterns).filter(
        (finding) => !finding.path.startsWith(pki.dir) && !finding.path.startsWith(hsm.dir),
      );
      assert.deepEqual(findings, []);
    } finally {
      for (const hub of hubs) await hub.close();
    }
  });
});
