import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tlsSection } from '../../../src/config/sections/tls.js';
import { loadKeystore } from '../../../src/keystore/index.js';
import { runBulwarkInProcess, type CliResult } from '../../helpers/in-process-cli.js';
import { createSoftHsm, SOFTHSM_MODULE, type SoftHsm } from '../../helpers/softhsm.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { requireKeyctl } from './keyring-entry.js';
import { serveKeystore } from './serve-keystore.js';
import { createTestPki, type TestPki } from './test-pki.js';
import { curlGet, sClient } from './tls-clients.js';

const day = 24 * 60 * 60 * 1000;

/** Asserts a refusal: exit 1, the catalog code on stderr, and no key material anywhere. */
function assertFailed(result: CliResult, code: string, mentions: RegExp): void {
  assert.equal(result.code, 1, `expected exit 1, got ${result.code}: ${result.stderr}`);
  assert.match(result.stderr, new RegExp(`\\[${code}\\]`));
  assert.match(result.stderr, mentions);
  assert.doesNotMatch(result.stdout + result.stderr, /PRIVATE KEY/);
}

function keyringHas(description: string): boolean {
  try {
    execFileSync('keyctl', ['search', '@u', 'user', description], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('bulwark keystore: check, import-keyctl and init-softhsm with real SoftHSM2, keyctl and openssl', () => {
  let hsm: SoftHsm;
  let pki: TestPki;
  let work: { path: string; remove(): void };
  const tag = randomBytes(4).toString('hex');
  const descriptions: string[] = [];
  let selfSignedUri = '';
  let caSignedUri = '';
  let unopenedUri = '';
  const cli = (...argv: string[]) => runBulwarkInProcess(argv, { cwd: work.path });

  before(async () => {
    requireKeyctl();
    hsm = createSoftHsm();
    pki = createTestPki();
    work = makeTempDir('bulwark-keystore-cli-');
    // Every token exists before the first in-process key load: libp11 lists the slots once.
    const selfSigned = await cli('keystore', 'init-softhsm', '--pin-file', 'dev-pin', '--token-label', 'dev', '--subject', 'hub.test', '--san', 'DNS:hub.test', '--san', '127.0.0.1');
    assert.equal(selfSigned.code, 0, selfSigned.stderr);
    selfSignedUri = selfSigned.stdout.trim();
    const caSigned = await cli('keystore', 'init-softhsm', '--pin-file', 'dev-pin', '--token-label', 'ca-signed', '--object', 'web', '--key-type', 'rsa:2048', '--subject', '127.0.0.1', '--ca-cert', pki.caPath, '--ca-key', join(pki.dir, 'ca.key'));
    assert.equal(caSigned.code, 0, caSigned.stderr);
    caSignedUri = caSigned.stdout.trim();
    // Only opened with a wrong PIN: libp11 keeps a token it logged into logged in for the process.
    const unopened = await cli('keystore', 'init-softhsm', '--pin-file', 'dev-pin', '--token-label', 'unopened');
    assert.equal(unopened.code, 0, unopened.stderr);
    unopenedUri = unopened.stdout.trim();
  });
  after(() => {
    for (const description of descriptions) {
      try {
        execFileSync('sh', ['-c', 'keyctl unlink "$(keyctl search @u user "$1")" @u', 'sh', description], { stdio: 'pipe' });
      } catch {
        // Not added (the test refused it) or already removed.
      }
    }
    work.remove();
    hsm.remove();
    pki.remove();
  });

  test('bulwark keystore --help lists check, import-keyctl and init-softhsm', async () => {
    const help = await cli('keystore', '--help');
    const text = help.stdout + help.stderr;
    for (const name of ['keystore check', 'keystore import-keyctl', 'keystore init-softhsm']) assert.match(text, new RegExp(name));
    const checkHelp = await cli('keystore', 'check', '--help');
    assert.equal(checkHelp.code, 0);
    assert.match(checkHelp.stdout, /Usage: bulwark keystore check URI/);
  });

  test('init-softhsm: a new PIN file (mode 600), a never-extractable key on the token, a pkcs11: URI', () => {
    assert.equal(selfSignedUri, `pkcs11:token=dev;object=tls?pin-source=file:${join(work.path, 'dev-pin')}&module-path=${SOFTHSM_MODULE}`);
    const pinPath = join(work.path, 'dev-pin');
    assert.equal(execFileSync('stat', ['-c', '%a', pinPath]).toString().trim(), '600');
    const pin = readFileSync(pinPath, 'utf8');
    assert.match(hsm.listObjects('dev', pin), /Private Key Object; EC[\s\S]*label:\s+tls[\s\S]*Access:\s+sensitive, always sensitive, never extractable, local/);
    assert.match(hsm.listObjects('ca-signed', pin), /Private Key Object; RSA[\s\S]*label:\s+web[\s\S]*never extractable/);
  });

  test('init-softhsm refuses to reuse an existing token label', async () => {
    assertFailed(await cli('keystore', 'init-softhsm', '--pin-file', 'dev-pin', '--token-label', 'dev'), 'KEYSTORE_TOKEN_EXISTS', /token labelled "dev" already exists/);
  });

  test('check: subject, issuer, SANs, validity, days left, key type and size, chain; no PIN, no key', async () => {
    const text = await cli('keystore', 'check', selfSignedUri);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^subject: +CN=hub\.test$/m);
    assert.match(text.stdout, /^issuer: +CN=hub\.test$/m);
    assert.match(text.stdout, /^names \(SAN\): DNS:hub\.test, IP Address:127\.0\.0\.1$/m);
    assert.match(text.stdout, /^days left: +36[45]$/m);
    assert.match(text.stdout, /^key: +ec prime256v1 \(256 bits\)$/m);
    assert.match(text.stdout, /^chain: +1 certificate\(s\), complete up to a self-signed root$/m);
    assert.match(text.stdout, /self-signed; clients must trust it explicitly/);
    const pin = readFileSync(join(work.path, 'dev-pin'), 'utf8');
    assert.ok(!text.stdout.includes(pin) && !text.stderr.includes(pin), 'the PIN must never be printed');
    assert.doesNotMatch(text.stdout, /PRIVATE KEY/);

    const json = await cli('keystore', 'check', caSignedUri, '--json');
    assert.equal(json.code, 0, json.stderr);
    const facts = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.equal(facts['kind'], 'pkcs11');
    assert.equal(facts['subject'], 'CN=127.0.0.1');
    assert.equal(facts['issuer'], 'CN=Bulwark Test CA');
    assert.deepEqual(facts['subject_alt_names'], ['DNS:localhost', 'IP Address:127.0.0.1']);
    assert.equal(facts['key_type'], 'rsa 2048');
    assert.equal(facts['key_bits'], 2048);
    assert.equal(typeof facts['days_left'], 'number');
    assert.deepEqual(Object.keys(facts['chain'] as object), ['length', 'complete_to_root', 'certificates']);
    assert.ok(!JSON.stringify(facts).includes(pin));
  });

  test('the CA-signed token certificate serves TLS that openssl s_client and curl verify against the test CA', async () => {
    const keystore = await loadKeystore(caSignedUri, tlsSection.parse({}));
    const server = await serveKeystore(keystore);
    try {
      assert.match(await sClient(server.port, pki.caPath), /Verification: OK/);
      const curl = await curlGet(server.url, pki.caPath);
      assert.equal(curl.code, 0, curl.stderr);
    } finally {
      await server.close();
    }
  });

  test('check refuses a wrong PIN and a missing object with the catalog message (exit 1)', async () => {
    writeFileSync(join(work.path, 'wrong-pin'), '00000000', { mode: 0o600 });
    const wrongPin = unopenedUri.replace(/pin-source=file:[^&]+/, `pin-source=file:${join(work.path, 'wrong-pin')}`);
    const refused = await cli('keystore', 'check', wrongPin);
    assertFailed(refused, 'KEYSTORE_PKCS11_LOGIN_FAILED', /the token refused the PIN/);
    assert.ok(!refused.stderr.includes('00000000'));
    assertFailed(await cli('keystore', 'check', selfSignedUri.replace('object=tls', 'object=absent')), 'KEYSTORE_KEY_NOT_FOUND', /object=absent/);
  });

  test('check refuses an expired certificate and a key that belongs to another certificate', async () => {
    const expired = pki.issue({ notBefore: new Date(Date.now() - 10 * day), notAfter: new Date(Date.now() - day) });
    writeFileSync(join(work.path, 'expired.pem'), expired.certPem);
    writeFileSync(join(work.path, 'expired.key'), expired.keyPem, { mode: 0o600 });
    assertFailed(await cli('keystore', 'check', `pem:${join(work.path, 'expired.pem')}?key=${join(work.path, 'expired.key')}`), 'KEYSTORE_CERT_EXPIRED', /expired on/);
    const other = pki.issue();
    assertFailed(await cli('keystore', 'check', `pem:${join(work.path, 'expired.pem')}?key=${join(work.path, 'other.key')}`), 'KEYSTORE_SOURCE_UNREADABLE', /other\.key/);
    writeFileSync(join(work.path, 'other.key'), other.keyPem, { mode: 0o600 });
    const fresh = pki.issue();
    writeFileSync(join(work.path, 'fresh.pem'), fresh.certPem);
    assertFailed(await cli('keystore', 'check', `pem:${join(work.path, 'fresh.pem')}?key=${join(work.path, 'other.key')}`), 'KEYSTORE_KEY_MISMATCH', /does not belong to the certificate/);
  });

  test('import-keyctl: a PEM bundle enters the keyring, the file stays and the shred command is shown', async () => {
    const issued = pki.issue();
    const bundle = join(work.path, 'bundle.pem');
    writeFileSync(bundle, `${issued.certPem}${pki.caPem}${issued.keyPem}`, { mode: 0o600 });
    const description = `bulwark-cli-test:${tag}:pem`;
    descriptions.push(description);
    const result = await cli('keystore', 'import-keyctl', 'bundle.pem', '--description', description);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), `keyctl:user:${description}`);
    assert.ok(existsSync(bundle), 'without --shred the file stays');
    assert.match(result.stderr, new RegExp(`remove it: shred --remove --zero ${bundle.replace(/[.]/g, '\\.')}`));
    const check = await cli('keystore', 'check', result.stdout.trim(), '--json');
    assert.equal(check.code, 0, check.stderr);
    assert.equal((JSON.parse(check.stdout) as { chain: { complete_to_root: boolean } }).chain.complete_to_root, true);
  });

  test('import-keyctl --shred: a PKCS#12 bundle with a passphrase file enters the keyring and the file is gone', async () => {
    const p12 = join(work.path, 'bundle.p12');
    writeFileSync(p12, pki.pkcs12(pki.issue(), 'p12-secret'));
    writeFileSync(join(work.path, 'p12-pass'), 'p12-secret\n', { mode: 0o600 });
    const description = `bulwark-cli-test:${tag}:p12`;
    descriptions.push(description);
    const result = await cli('keystore', 'import-keyctl', p12, '--description', description, '--passphrase-file', 'p12-pass', '--shred');
    assert.equal(result.code, 0, result.stderr);
    const uri = result.stdout.trim();
    assert.equal(uri, `keyctl:user:${description}?passphrase-file=${join(work.path, 'p12-pass')}`);
    assert.equal(existsSync(p12), false, '--shred removes the bundle file');
    assert.ok(!result.stdout.includes('p12-secret') && !result.stderr.includes('p12-secret'));
    const keystore = await loadKeystore(uri, tlsSection.parse({}));
    assert.equal(keystore.summary.subject, 'CN=127.0.0.1');
    const server = await serveKeystore(keystore);
    try {
      assert.match(await sClient(server.port, pki.caPath), /Verification: OK/);
    } finally {
      await server.close();
    }
  });

  test('import-keyctl refuses expired, mismatched and wrong-passphrase bundles; none enters the keyring, no file is shredded', async () => {
    const cases: Array<[string, string, string[], string, RegExp]> = [];
    const expired = pki.issue({ notBefore: new Date(Date.now() - 10 * day), notAfter: new Date(Date.now() - day) });
    writeFileSync(join(work.path, 'old.pem'), `${expired.certPem}${expired.keyPem}`, { mode: 0o600 });
    cases.push(['old.pem', `bulwark-cli-test:${tag}:old`, [], 'KEYSTORE_CERT_EXPIRED', /expired on/]);
    writeFileSync(join(work.path, 'mixed.pem'), `${pki.issue().certPem}${pki.issue().keyPem}`, { mode: 0o600 });
    cases.push(['mixed.pem', `bulwark-cli-test:${tag}:mixed`, [], 'KEYSTORE_KEY_MISMATCH', /does not belong/]);
    writeFileSync(join(work.path, 'locked.p12'), pki.pkcs12(pki.issue(), 'right'));
    writeFileSync(join(work.path, 'wrong-pass'), 'wrong', { mode: 0o600 });
    cases.push(['locked.p12', `bulwark-cli-test:${tag}:locked`, ['--passphrase-file', 'wrong-pass'], 'KEYSTORE_WRONG_PASSPHRASE', /passphrase does not open/]);
    for (const [file, description, extra, code, mentions] of cases) {
      descriptions.push(description);
      assertFailed(await cli('keystore', 'import-keyctl', file, '--description', description, '--shred', ...extra), code, mentions);
      assert.equal(keyringHas(description), false, `${file} must not enter the keyring`);
      assert.ok(existsSync(join(work.path, file)), `${file} must not be shredded`);
    }
  });
});
