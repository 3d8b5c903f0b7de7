// The internal CA of hub.internal_tls (the hub end to end: internal-tls-hub.test.ts): certificates it issues, mutual
// TLS with them, and delivery of a server's files to its account only.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request, type RequestOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { createInternalCa, type InternalCa, type IssuedCertificate } from '../../../src/keystore/internal-ca.js';
import { writeServerCredentials } from '../../../src/keystore/server-credentials.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const run = promisify(execFile);

/** GET / over TLS; resolves with the status and the CN the server saw, or rejects with the TLS error. */
function get(port: number, options: RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, ...options }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('internal CA: mutual TLS between hub, proxy and single-user servers', () => {
  let ca: InternalCa;
  let server: IssuedCertificate;
  let client: IssuedCertificate;
  const temp = makeTempDir('bulwark-internal-ca-test-');
  let user: OsUser | undefined;
  let other: OsUser | undefined;

  before(async () => {
    ca = await createInternalCa({ validityDays: 7 });
    server = await ca.issue({ commonName: 'jupyterhub-singleuser', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], use: 'server-and-client', validityDays: 1 });
    client = await ca.issue({ commonName: 'hub', use: 'client', validityDays: 1 });
  });
  after(async () => {
    if (user) await removeOsUser(user);
    if (other) await removeOsUser(other);
    temp.remove();
  });

  test('the CA is a path-length-0 CA; leaves are short-lived, for their purpose, and verify with openssl', async () => {
    const caCert = new X509Certificate(ca.certificatePem);
    assert.equal(caCert.ca, true);
    const leaf = new X509Certificate(server.certPem);
    assert.equal(leaf.ca, false);
    assert.ok(leaf.checkIssued(caCert) && leaf.verify(caCert.publicKey));
    assert.deepEqual(leaf.subjectAltName?.split(', '), ['DNS:localhost', 'IP Address:127.0.0.1']);
    const hoursValid = (new Date(leaf.validTo).getTime() - Date.now()) / 3_600_000;
    assert.ok(hoursValid > 23 && hoursValid <= 24, `valid for ${hoursValid} hours`);
    writeFileSync(join(temp.path, 'ca.pem'), ca.certificatePem);
    writeFileSync(join(temp.path, 'client.pem'), client.certPem);
    const text = (await run('openssl', ['x509', '-in', join(temp.path, 'client.pem'), '-noout', '-text'])).stdout;
    assert.match(text, /CA:FALSE/);
    assert.match(text, /TLS Web Client Authentication/);
    assert.doesNotMatch(text, /TLS Web Server Authentication/);
    const verified = await run('openssl', ['verify', '-CAfile', join(temp.path, 'ca.pem'), '-purpose', 'sslclient', join(temp.path, 'client.pem')]);
    assert.match(verified.stdout, /: OK/);
  });

  test('mutual TLS: a client certificate from the CA is required, one from another CA is refused', async () => {
    const stranger = await (await createInternalCa()).issue({ commonName: 'hub', use: 'client', validityDays: 1 });
    const https = createServer({ key: server.keyPem, cert: server.certPem, ca: ca.certificatePem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      res.end(`hello ${(req.socket as TLSSocket).getPeerCertificate().subject.CN}`);
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    const port = (https.address() as AddressInfo).port;
    try {
      const answer = await get(port, { ca: ca.certificatePem, key: client.keyPem, cert: client.certPem });
      assert.deepEqual(answer, { status: 200, body: 'hello hub' });
      await assert.rejects(get(port, { ca: ca.certificatePem }), /certificate required|socket hang up|ECONNRESET|alert/i);
      await assert.rejects(get(port, { ca: ca.certificatePem, key: stranger.keyPem, cert: stranger.certPem }), /unknown ca|certificate|socket hang up|ECONNRESET|alert/i);
    } finally {
      https.closeAllConnections();
      await new Promise((resolve) => https.close(resolve));
    }
  });

  test('a client-only certificate cannot serve: the client refuses its purpose', async () => {
    // The right address in its names, so only the purpose (clientAuth, not serverAuth) is wrong.
    const clientOnly = await ca.issue({ commonName: 'hub', ipAddresses: ['127.0.0.1'], use: 'client', validityDays: 1 });
    const https = createServer({ key: clientOnly.keyPem, cert: clientOnly.certPem }, (_req, res) => res.end('should not be reached'));
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    try {
      await assert.rejects(get((https.address() as AddressInfo).port, { ca: ca.certificatePem }), /unsuitable certificate purpose/i);
    } finally {
      await new Promise((resolve) => https.close(resolve));
    }
  });

  test("a server's files reach its account only (dir 700, key 600), and its JUPYTERHUB_SSL_* variables", async () => {
    user = await createOsUser();
    other = await createOsUser();
    const dir = join(temp.path, 'server-creds');
    const credentials = await writeServerCredentials(dir, user, server, ca.certificatePem);
    assert.deepEqual(Object.keys(credentials.env).sort(), ['JUPYTERHUB_SSL_CERTFILE', 'JUPYTERHUB_SSL_CLIENT_CA', 'JUPYTERHUB_SSL_KEYFILE']);
    const dirStat = statSync(dir);
    assert.equal(dirStat.mode & 0o777, 0o700);
    assert.equal(dirStat.uid, user.uid);
    assert.equal(statSync(credentials.env.JUPYTERHUB_SSL_KEYFILE).mode & 0o777, 0o600);
    assert.equal(readFileSync(credentials.env.JUPYTERHUB_SSL_CERTFILE, 'utf8'), server.certPem);
    // temp dirs are root-only (700); open the parent to others so only the credentials' own modes decide.
    await run('chmod', ['755', temp.path]);
    const asUser = await run('runuser', ['-u', user.name, '--', 'cat', credentials.env.JUPYTERHUB_SSL_KEYFILE]);
    assert.equal(asUser.stdout, server.keyPem);
    await assert.rejects(run('runuser', ['-u', other.name, '--', 'cat', credentials.env.JUPYTERHUB_SSL_KEYFILE]), /Permission denied/);
    await assert.rejects(run('runuser', ['-u', other.name, '--', 'ls', dir]), /Permission denied/);
    // Issued again (a restart): the old directory is replaced, not reused.
    const again = await writeServerCredentials(dir, user, await ca.issue({ commonName: 'x', ipAddresses: ['127.0.0.1'], use: 'server', validityDays: 1 }), ca.certificatePem);
    assert.notEqual(readFileSync(again.env.JUPYTERHUB_SSL_CERTFILE, 'utf8'), server.certPem);
  });
});
