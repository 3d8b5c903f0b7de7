// The standalone channel and `bulwark proxy` serving TLS from keystores: real pip and twine against
// the channel (trusting only the test CA), openssl s_client against the proxy, HSTS as configured.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { proxyOptionsFromArgs } from '../../../src/cli/commands/proxy.js';
import { tlsSection } from '../../../src/config/sections/tls.js';
import { BulwarkError } from '../../../src/errors/index.js';
import { createLogger } from '../../../src/log/index.js';
import { startProxyServer, type ProxyServerHandle } from '../../../src/server/proxy-server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestChannel, type TestChannel } from '../../helpers/test-channel.js';
import { buildWheel } from '../../helpers/wheel-builder.js';
import { DEBIAN_PYTHON, isolatedEnv, makeVenv, requireTool, run, TWINE } from '../channel/python-clients.js';
import { addUserKey, requireKeyctl } from './keyring-entry.js';
import { createTestPki, type TestPki } from './test-pki.js';
import { httpsGet, sClient } from './tls-clients.js';

const silent = createLogger({ level: 'silent', pretty: false });

/**
 * pip's and twine's environment without the machine's CA bundle variables: requests lets
 * REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE win over a session's verify, so `twine --cert` would be
 * ignored, and a client must trust the test CA only because it was told to.
 */
function clientEnv(): NodeJS.ProcessEnv {
  const env = isolatedEnv({ HOME: '/nonexistent' });
  for (const name of ['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'SSL_CERT_FILE', 'SSL_CERT_DIR']) delete env[name];
  return env;
}

describe('channel serve over TLS from a kernel keyring entry', () => {
  let pki: TestPki;
  let channel: TestChannel;
  let removeKey = () => {};
  const temp = makeTempDir('bulwark-channel-tls-');

  before(async () => {
    requireKeyctl();
    requireTool(TWINE, 'twine (Debian package twine)');
    pki = createTestPki();
    const issued = pki.issue();
    const description = `bulwark-channel-tls:${randomBytes(4).toString('hex')}`;
    removeKey = addUserKey(description, `${issued.certPem}${pki.caPem}${issued.keyPem}`).remove;
    channel = await startTestChannel(
      {
        'channel.bind_url': 'https://127.0.0.1:0',
        'channel.tls.keystore': `keyctl:user:${description}`,
        'channel.tls.hsts_max_age': 600,
        'channel.tls.hsts_include_subdomains': true,
      },
      silent,
    );
  });
  after(async () => {
    await channel?.close();
    removeKey();
    pki?.remove();
    temp.remove();
  });

  test('the index answers over https (TLS 1.3) with the configured HSTS; plain http is not served', async () => {
    assert.match(channel.indexUrl, /^https:\/\/127\.0\.0\.1:\d+\/simple\/$/);
    const answer = await httpsGet(channel.indexUrl, pki.caPem);
    assert.equal(answer.status, 200);
    assert.equal(answer.protocol, 'TLSv1.3');
    assert.equal(answer.headers['strict-transport-security'], 'max-age=600; includeSubDomains');
    const plain = await new Promise<string>((resolve) => {
      httpRequest({ host: '127.0.0.1', port: channel.handle.port, path: '/simple/' }, (res) => resolve(String(res.statusCode))).on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error')).end();
    });
    assert.notEqual(plain, '200', 'the channel listener speaks TLS only');
  });

  test('twine uploads and pip installs over TLS, trusting only the test CA (--cert)', async () => {
    const wheel = buildWheel({ name: 'tls-demo', version: '1.0', requiresPython: '>=3.8' });
    const wheelPath = join(temp.path, wheel.filename);
    writeFileSync(wheelPath, wheel.bytes);
    const token = await channel.token(['channel:publish']);
    const upload = await run(TWINE, ['upload', '--non-interactive', '--disable-progress-bar', '--repository-url', `${channel.url}legacy/`, '-u', '__token__', '-p', token, '--cert', pki.caPath, wheelPath], { env: clientEnv() });
    assert.equal(upload.code, 0, upload.stdout + upload.stderr);

    const python = await makeVenv(DEBIAN_PYTHON, join(temp.path, 'venv'));
    const pip = (extra: string[]) =>
      run(python, ['-m', 'pip', 'install', '--isolated', '--no-cache-dir', '--retries', '0', '--index-url', channel.indexUrl, ...extra, 'tls-demo==1.0'], { env: clientEnv() });
    const untrusted = await pip([]);
    assert.notEqual(untrusted.code, 0, 'without the test CA pip must refuse the certificate');
    assert.match(untrusted.stdout + untrusted.stderr, /CERTIFICATE_VERIFY_FAILED|certificate verify failed/i);
    const installed = await pip(['--cert', pki.caPath]);
    assert.equal(installed.code, 0, installed.stdout + installed.stderr);
    const imported = await run(python, ['-c', 'import tls_demo, importlib.metadata as m; print(m.version("tls-demo"))'], { env: isolatedEnv() });
    assert.equal(imported.stdout.trim(), '1.0', imported.stderr);
  });
});

describe('channel TLS refusals', () => {
  test('an https bind_url without channel.tls.keystore is refused before anything listens', async () => {
    await assert.rejects(startTestChannel({ 'channel.bind_url': 'https://127.0.0.1:0' }, silent), (error: unknown) => {
      assert.ok(error instanceof BulwarkError);
      assert.equal(error.code, 'KEYSTORE_NOT_CONFIGURED');
      assert.match(error.message, /channel\.bind_url/);
      return true;
    });
  });

  test('a plain-HTTP channel sends no HSTS', async () => {
    const channel = await startTestChannel({}, silent);
    try {
      const answer = await new Promise<Record<string, unknown>>((resolve, reject) => {
        httpRequest(channel.indexUrl, (res) => {
          res.resume();
          resolve(res.headers);
        }).on('error', reject).end();
      });
      assert.equal(answer['strict-transport-security'], undefined);
    } finally {
      await channel.close();
    }
  });
});

describe('bulwark proxy: the public listener from a keystore (--ssl-keystore)', () => {
  let pki: TestPki;
  let backend: Server;
  let backendUrl: string;
  let proxy: ProxyServerHandle | undefined;
  const temp = makeTempDir('bulwark-proxy-tls-');

  before(async () => {
    pki = createTestPki();
    backend = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`backend saw ${req.url ?? ''}`));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  });
  after(async () => {
    await proxy?.close();
    backend?.closeAllConnections();
    await new Promise((resolve) => backend?.close(resolve));
    pki?.remove();
    temp.remove();
  });

  test('--ssl-keystore with --ssl-key is refused; the keystore alone becomes the proxy options', () => {
    const options = (flags: Record<string, string>) => proxyOptionsFromArgs({ positionals: [], options: flags }, {}, null, null);
    writeFileSync(join(temp.path, 'k.pem'), 'not a key');
    assert.throws(() => options({ 'ssl-keystore': 'pkcs12:/x.p12', 'ssl-key': join(temp.path, 'k.pem') }), /either --ssl-keystore or --ssl-key/);
    assert.equal(options({ 'ssl-keystore': 'pkcs12:/x.p12' }).keystore, 'pkcs12:/x.p12');
  });

  test('serves TLS 1.3 from a PKCS#12 keystore, forwards to the target, adds HSTS and reports days left', async () => {
    const p12Path = join(temp.path, 'proxy.p12');
    writeFileSync(p12Path, pki.pkcs12(pki.issue(), 'proxy-pass'), { mode: 0o600 });
    writeFileSync(join(temp.path, 'pass'), 'proxy-pass', { mode: 0o600 });
    const args = { positionals: [], options: { 'ssl-keystore': `pkcs12:${p12Path}?passphrase-file=${join(temp.path, 'pass')}`, ip: '127.0.0.1', port: '0', 'api-port': '0', 'metrics-ip': '127.0.0.1', 'metrics-port': '0', 'default-target': backendUrl } };
    proxy = await startProxyServer({ ...proxyOptionsFromArgs(args, {}, null, null), tlsSettings: tlsSection.parse({}) }, { logger: silent });
    assert.match(proxy.publicUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await httpsGet(`${proxy.publicUrl}/user/x/api`, pki.caPem);
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'backend saw /user/x/api');
    assert.equal(answer.protocol, 'TLSv1.3');
    assert.equal(answer.headers['strict-transport-security'], 'max-age=31536000');
    assert.match(await sClient(Number(new URL(proxy.publicUrl).port), pki.caPath), /Verification: OK/);
    const metrics = await (await fetch(`${proxy.metricsUrl ?? ''}/metrics`)).text();
    assert.match(metrics, /^bulwark_tls_certificate_days_left\{listener="proxy"\} 29$/m);
  });
});
