// Where hub.internal_tls keeps its CA: a `user` key in the kernel keyring of the hub's uid. The
// first start generates and stores it, later starts read the same CA back, and an entry that
// cannot serve (not a bundle, not a CA, about to expire) is replaced.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { openInternalCa } from '../../../src/keystore/internal-ca-store.js';
import type { KeyctlSpec } from '../../../src/keystore/keystore-spec.js';
import { createLogger } from '../../../src/log/index.js';

function keyringEntry(description: string): string | null {
  try {
    const id = execFileSync('keyctl', ['search', '@u', 'user', description], { stdio: 'pipe' }).toString().trim();
    return execFileSync('keyctl', ['pipe', id], { stdio: 'pipe' }).toString();
  } catch {
    return null;
  }
}

describe('internal CA in the kernel keyring', () => {
  const description = `bulwark-test-ca-store-${randomBytes(6).toString('hex')}`;
  const uri = `keyctl:user:${description}`;
  const spec: KeyctlSpec = { kind: 'keyctl', keyType: 'user', description, keyring: '@u', passphrase: null };
  const logger = createLogger({ level: 'silent', pretty: false });
  const open = (now?: Date) => openInternalCa({ uri, spec, caDays: 30, minRemainingDays: 8, logger, ...(now ? { now } : {}) });

  after(() => {
    try {
      const id = execFileSync('keyctl', ['search', '@u', 'user', description], { stdio: 'pipe' }).toString().trim();
      execFileSync('keyctl', ['unlink', id, '@u'], { stdio: 'pipe' });
    } catch {
      // Already gone.
    }
  });

  test('generated on first use, read back afterwards, and able to sign', async () => {
    assert.equal(keyringEntry(description), null);
    const first = await open();
    const stored = keyringEntry(description) ?? '';
    assert.ok(stored.includes(first.certificatePem.trim()));
    assert.match(stored, /-----BEGIN PRIVATE KEY-----/);
    const second = await open();
    assert.equal(second.certificatePem.trim(), first.certificatePem.trim());
    const leaf = await second.issue({ commonName: 'leaf', ipAddresses: ['127.0.0.1'], use: 'server', validityDays: 1 });
    assert.equal(new X509Certificate(leaf.certPem).verify(new X509Certificate(first.certificatePem).publicKey), true);
  });

  test('an entry that is no CA bundle, or a CA that expires before a new leaf would, is replaced', async () => {
    const before = (await open()).certificatePem;
    execFileSync('keyctl', ['padd', 'user', description, '@u'], { input: 'not a bundle', stdio: ['pipe', 'pipe', 'pipe'] });
    const replaced = (await open()).certificatePem;
    assert.notEqual(replaced.trim(), before.trim());
    assert.ok((keyringEntry(description) ?? '').includes(replaced.trim()));
    // Seen from 25 days on, the 30-day CA has 5 days left: less than the 8 a new leaf needs.
    const later = (await open(new Date(Date.now() + 25 * 86_400_000))).certificatePem;
    assert.notEqual(later.trim(), replaced.trim());
    // A stored certificate that is a leaf, not a CA, is refused too.
    const leaf = await (await open()).issue({ commonName: 'leaf', use: 'client', validityDays: 1 });
    execFileSync('keyctl', ['padd', 'user', description, '@u'], { input: `${leaf.certPem}${leaf.keyPem}`, stdio: ['pipe', 'pipe', 'pipe'] });
    const fromLeaf = (await open()).certificatePem;
    assert.equal(new X509Certificate(fromLeaf).ca, true);
    assert.notEqual(fromLeaf.trim(), leaf.certPem.trim());
  });
});
