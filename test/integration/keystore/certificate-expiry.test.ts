// Certificate expiry in a running process: the days-left gauges on /hub/metrics (updated by a
// SIGHUP reload), the start-up warning inside hub.tls.expiry_warning_days, and the periodic check.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { tlsSection } from '../../../src/config/sections/tls.js';
import { checkCertificateExpiry, loadKeystore } from '../../../src/keystore/index.js';
import { cliActor, createLogger } from '../../../src/log/index.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { createTestPki, type Issued, type TestPki } from './test-pki.js';
import { httpsGet } from './tls-clients.js';

const day = 24 * 60 * 60 * 1000;

/** A JSON-lines logger whose records the test can read. */
function recordingLogger(): { logger: ReturnType<typeof createLogger>; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const stream = new PassThrough();
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) !== -1) {
      records.push(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
      buffer = buffer.slice(nl + 1);
    }
  });
  return { logger: createLogger({ level: 'info', pretty: false }, stream), records };
}

function gauge(metrics: string, name: string): number {
  const match = new RegExp(`^${name}\\{listener="hub"\\} (-?\\d+)$`, 'm').exec(metrics);
  assert.ok(match, `${name} missing from:\n${metrics}`);
  return Number(match[1]);
}

describe('TLS certificate expiry: metric and early warning', () => {
  let pki: TestPki;
  let hub: TestHub;
  let token: string;
  let p12Path: string;
  let shortLived: Issued;
  const log = recordingLogger();

  before(async () => {
    pki = createTestPki();
    shortLived = pki.issue({ notAfter: new Date(Date.now() + 10 * day) });
    p12Path = join(pki.dir, 'expiring.p12');
    writeFileSync(p12Path, pki.pkcs12(shortLived, 'expiry-pass'), { mode: 0o600 });
    writeFileSync(join(pki.dir, 'pass'), 'expiry-pass', { mode: 0o600 });
    hub = await startTestHub({ 'hub.tls.keystore': `pkcs12:${p12Path}?passphrase-file=${join(pki.dir, 'pass')}` }, log.logger);
    const admin = await hub.handle.services.users.create({ name: 'metrics-admin', admin: true, authorized: true }, cliActor);
    token = (await hub.handle.services.tokens.create({ owner: admin, note: 'metrics' }, cliActor)).token;
  });
  after(async () => {
    await hub?.close();
    pki?.remove();
  });

  const metrics = async () => {
    const answer = await httpsGet(`${hub.url}/hub/metrics`, pki.caPem, { headers: { authorization: `token ${token}` } });
    assert.equal(answer.status, 200, answer.body);
    return answer.body;
  };

  test('start-up warns when the certificate expires within expiry_warning_days (21)', () => {
    const warning = log.records.find((r) => typeof r['msg'] === 'string' && /the TLS certificate expires in 9 days/.test(r['msg']));
    assert.ok(warning, JSON.stringify(log.records.map((r) => r['msg'])));
    assert.equal(warning['level'], 40);
    assert.equal(warning['daysLeft'], 9);
  });

  test('/hub/metrics reports days left and the expiry timestamp; a SIGHUP reload updates them', async () => {
    const first = await metrics();
    assert.equal(gauge(first, 'bulwark_tls_certificate_days_left'), 9);
    const notAfter = Math.floor(new Date(new X509Certificate(shortLived.certPem).validTo).getTime() / 1000);
    assert.equal(gauge(first, 'bulwark_tls_certificate_expiry_timestamp_seconds'), notAfter);
    assert.match(first, /# TYPE bulwark_tls_certificate_days_left gauge/);

    writeFileSync(p12Path, pki.pkcs12(pki.issue({ notAfter: new Date(Date.now() + 40 * day) }), 'expiry-pass'), { mode: 0o600 });
    process.kill(process.pid, 'SIGHUP');
    const deadline = Date.now() + 10_000;
    let days = 9;
    while (Date.now() < deadline && days === 9) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      days = gauge(await metrics(), 'bulwark_tls_certificate_days_left');
    }
    assert.equal(days, 39);
  });

  test('the periodic check warns inside the window and logs an error once expired', async () => {
    const keystore = await loadKeystore(`pkcs12:${p12Path}?passphrase-file=${join(pki.dir, 'pass')}`, tlsSection.parse({}));
    const checks = recordingLogger();
    const settings = { expiry_warning_days: 21 };
    assert.equal(checkCertificateExpiry(keystore, settings, checks.logger, new Date()), 'ok');
    assert.equal(checkCertificateExpiry(keystore, settings, checks.logger, new Date(Date.now() + 30 * day)), 'expiring');
    assert.equal(checkCertificateExpiry(keystore, settings, checks.logger, new Date(Date.now() + 41 * day)), 'expired');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(checks.records.map((r) => r['level']), [40, 50]);
    assert.match(String(checks.records[1]?.['msg']), /has expired/);
  });
});

describe('no certificate gauges without TLS', () => {
  test('a plain-HTTP hub reports no bulwark_tls_* metric', async () => {
    const hub = await startTestHub();
    try {
      const admin = await hub.handle.services.users.create({ name: 'metrics-admin', admin: true, authorized: true }, cliActor);
      const { token } = await hub.handle.services.tokens.create({ owner: admin, note: 'metrics' }, cliActor);
      const answer = await fetch(`${hub.url}/hub/metrics`, { headers: { authorization: `token ${token}` } });
      assert.equal(answer.status, 200);
      assert.doesNotMatch(await answer.text(), /bulwark_tls_certificate/);
    } finally {
      await hub.close();
    }
  });
});
