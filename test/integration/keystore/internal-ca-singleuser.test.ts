// The internal CA's files against the real jupyterhub-singleuser (JupyterHub 3.0's internal_ssl
// contract): the server, run as its own account with JUPYTERHUB_SSL_KEYFILE/CERTFILE/CLIENT_CA
// from writeServerCredentials, serves TLS that requires a client certificate from the CA, and
// presents its own certificate when it calls the hub API. The hub API here is a small mutual-TLS
// listener standing in for the hub; internal-tls-hub.test.ts runs the same with the real hub.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type RequestOptions, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { createInternalCa, type InternalCa, type IssuedCertificate } from '../../../src/keystore/internal-ca.js';
import { writeServerCredentials, type ServerCredentials } from '../../../src/keystore/server-credentials.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { findFreePort } from '../../helpers/ports.js';

function get(port: number, path: string, options: RequestOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, ...options }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('internal TLS files with the real jupyterhub-singleuser', () => {
  let ca: InternalCa;
  let hubCert: IssuedCertificate;
  let user: OsUser;
  let credentials: ServerCredentials;
  let hubApi: Server;
  let child: ChildProcess | undefined;
  let output = '';
  let port = 0;
  const clientNames: string[] = [];
  const base = mkdtempSync(join(tmpdir(), 'bulwark-internal-ssl-'));

  before(async () => {
    ca = await createInternalCa();
    hubCert = await ca.issue({ commonName: 'hub', ipAddresses: ['127.0.0.1'], use: 'server-and-client', validityDays: 1 });
    user = await createOsUser();
    // Others may pass through the base directory, not list it; the credentials' own modes decide.
    chmodSync(base, 0o711);
    const serverCert = await ca.issue({ commonName: `server-${user.name}`, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], use: 'server-and-client', validityDays: 1 });
    credentials = await writeServerCredentials(join(base, user.name), user, serverCert, ca.certificatePem);
    hubApi = createServer({ key: hubCert.keyPem, cert: hubCert.certPem, ca: ca.certificatePem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      clientNames.push(String((req.socket as TLSSocket).getPeerCertificate().subject.CN));
      res.writeHead(200, { 'content-type': 'application/json', 'x-jupyterhub-version': '3.0.0' }).end(req.url === '/hub/api' || req.url === '/hub/api/' ? '{"version": "3.0.0"}' : '{}');
    });
    await new Promise<void>((resolve) => hubApi.listen(0, '127.0.0.1', resolve));
    port = await findFreePort();
    const prefix = `/user/${user.name}/`;
    const env: Record<string, string> = {
      HOME: user.home,
      USER: user.name,
      PATH: '/usr/local/bin:/usr/bin:/bin',
      JUPYTERHUB_API_TOKEN: randomBytes(16).toString('hex'),
      JUPYTERHUB_CLIENT_ID: `jupyterhub-user-${user.name}`,
      JUPYTERHUB_API_URL: `https://127.0.0.1:${(hubApi.address() as AddressInfo).port}/hub/api`,
      JUPYTERHUB_BASE_URL: '/',
      JUPYTERHUB_SERVICE_PREFIX: prefix,
      JUPYTERHUB_SERVICE_URL: `https://127.0.0.1:${port}${prefix}`,
      JUPYTERHUB_OAUTH_CALLBACK_URL: `${prefix}oauth_callback`,
      JUPYTERHUB_USER: user.name,
      JUPYTERHUB_SINGLEUSER_APP: 'notebook.notebookapp.NotebookApp',
      ...credentials.env,
    };
    child = spawn('runuser', ['-u', user.name, '--', 'env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'jupyterhub-singleuser', '--ip', '127.0.0.1', '--port', String(port)], {
      cwd: '/',
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
  after(async () => {
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    hubApi?.closeAllConnections();
    await new Promise((resolve) => hubApi?.close(resolve));
    rmSync(base, { recursive: true, force: true });
    if (user) await removeOsUser(user);
  });

  test('it serves TLS with the issued certificate, requires a client certificate from the CA, and uses its own towards the hub', async () => {
    const tls = { ca: ca.certificatePem, key: hubCert.keyPem, cert: hubCert.certPem };
    const deadline = Date.now() + 60_000;
    let status = 0;
    while (Date.now() < deadline && child?.exitCode === null) {
      status = await get(port, `/user/${user.name}/api`, tls).catch(() => 0);
      if (status !== 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(status, 200, `jupyterhub-singleuser did not answer over TLS:\n${output}`);
    assert.ok(clientNames.includes(`server-${user.name}`), `the hub API saw client certificates ${JSON.stringify(clientNames)}:\n${output}`);
    await assert.rejects(get(port, `/user/${user.name}/api`, { ca: ca.certificatePem }), /certificate required|socket hang up|ECONNRESET|alert/i);
    const stranger = await (await createInternalCa()).issue({ commonName: 'hub', use: 'client', validityDays: 1 });
    await assert.rejects(get(port, `/user/${user.name}/api`, { ca: ca.certificatePem, key: stranger.keyPem, cert: stranger.certPem }), /unknown ca|socket hang up|ECONNRESET|alert/i);
  });
});
