import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tlsSection } from '../../../src/config/sections/tls.js';
import { loadKeystore } from '../../../src/keystore/index.js';
import { assertRefused } from './keystore-errors.js';
import { serveKeystore } from './serve-keystore.js';
import { createTestPki, type TestPki } from './test-pki.js';
import { curlGet, httpsGet } from './tls-clients.js';

const settings = tlsSection.parse({});
const day = 24 * 60 * 60 * 1000;

describe('pkcs12: and pem: keystores', () => {
  let pki: TestPki;
  const file = (name: string, content: string | Buffer) => {
    const path = join(pki.dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };

  before(() => {
    pki = createTestPki();
  });
  after(() => pki.remove());

  test('a modern (AES-256) PKCS#12 file with a passphrase file serves TLS 1.3', async () => {
    const path = file('modern.p12', pki.pkcs12(pki.issue(), 'p12-secret'));
    const passFile = file('p12pass', 'p12-secret\n');
    const keystore = await loadKeystore(`pkcs12:${path}?passphrase-file=${passFile}`, settings);
    assert.equal(keystore.kind, 'pkcs12');
    assert.deepEqual(keystore.warnings, []);
    const server = await serveKeystore(keystore);
    try {
      assert.equal((await httpsGet(server.url, pki.caPem)).protocol, 'TLSv1.3');
      assert.equal((await curlGet(server.url, pki.caPath)).body, 'ok from pkcs12');
    } finally {
      await server.close();
    }
  });

  test('a legacy (RC2/3DES) bundle is refused with the command that converts it', async () => {
    const path = file('legacy.p12', pki.pkcs12(pki.issue(), 'p12-secret', true));
    const error = await assertRefused(
      loadKeystore(`pfx:${path}?passphrase-env=P`, settings, { env: { P: 'p12-secret' } }),
      'KEYSTORE_PKCS12_LEGACY',
      /legacy\.p12.*openssl pkcs12 -export -passout env:P -inkey <\(openssl pkcs12 -legacy -in OLD\.p12 -nocerts/,
    );
    assert.ok(!error.message.includes('p12-secret'));
    // The fix the message names works, and the key only passes through pipes.
    const fix = error.message.slice(error.message.indexOf('openssl pkcs12 -export'));
    const converted = file('converted.p12', execFileSync('bash', ['-c', fix.replaceAll('OLD.p12', `'${path}'`).replace(' -out NEW.p12', '')], { env: { ...process.env, P: 'p12-secret' } }));
    const keystore = await loadKeystore(`pkcs12:${converted}?passphrase-env=P`, settings, { env: { P: 'p12-secret' } });
    assert.equal(keystore.summary.subject, 'CN=127.0.0.1');
  });

  test('a wrong passphrase and a missing file are refused', async () => {
    const path = file('wrong.p12', pki.pkcs12(pki.issue(), 'right'));
    await assertRefused(loadKeystore(`pkcs12:${path}?passphrase-env=P`, settings, { env: { P: 'wrong' } }), 'KEYSTORE_WRONG_PASSPHRASE', /wrong\.p12/, ['wrong?']);
    await assertRefused(loadKeystore('pkcs12:/nonexistent/hub.p12?passphrase-env=P', settings, { env: { P: 'x' } }), 'KEYSTORE_SOURCE_UNREADABLE', /\/nonexistent\/hub\.p12: ENOENT/);
  });

  test('pem: works but warns; expired, not-yet-valid and mismatched pairs are refused', async () => {
    const good = pki.issue();
    const pem = await loadKeystore(`pem:${file('good.crt', good.certPem)}?key=${file('good.key', good.keyPem)}`, settings);
    assert.match(pem.warnings.join('\n'), /pem: keeps the private key in a file on disk/);
    const expired = pki.issue({ notBefore: new Date(Date.now() - 10 * day), notAfter: new Date(Date.now() - day) });
    await assertRefused(
      loadKeystore(`pem:${file('expired.crt', expired.certPem)}?key=${file('expired.key', expired.keyPem)}`, settings),
      'KEYSTORE_CERT_EXPIRED',
      /expired\.crt.*CN=127\.0\.0\.1 expired on/,
    );
    const future = pki.issue({ notBefore: new Date(Date.now() + day), notAfter: new Date(Date.now() + 10 * day) });
    await assertRefused(
      loadKeystore(`pem:${file('future.crt', future.certPem)}?key=${file('future.key', future.keyPem)}`, settings),
      'KEYSTORE_CERT_NOT_YET_VALID',
      /not valid before/,
    );
    await assertRefused(
      loadKeystore(`pem:${file('good2.crt', good.certPem)}?key=${file('other.key', pki.issue().keyPem)}`, settings),
      'KEYSTORE_KEY_MISMATCH',
      /does not belong/,
    );
  });

  test('a certificate close to expiry loads, and the summary counts the days left', async () => {
    const soon = pki.issue({ notAfter: new Date(Date.now() + 5 * day + 3600_000) });
    const keystore = await loadKeystore(`pem:${file('soon.crt', soon.certPem)}?key=${file('soon.key', soon.keyPem)}`, settings);
    assert.equal(keystore.summary.daysLeft, 5);
  });
});
