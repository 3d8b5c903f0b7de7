// hub.internal_tls together with a TLS public listener (hub.tls.keystore): users reach the hub and
// their servers over https with the public certificate, while the embedded proxy reaches the real
// jupyterhub-singleuser (under a real Linux account) over https with the hub's client certificate
// from the internal CA, and the server calls the hub API on the mutual-TLS listener. Real Chromium
// then walks the login and OAuth flow through the public listener.
import assert from 'node:assert/strict';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { cliActor } from '../../../src/log/index.js';
import { launchChromium } from '../../helpers/browser.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { createTestPki, type TestPki } from './test-pki.js';
import { httpsGet } from './tls-clients.js';
import { environOf, get, refusedHandshake, removeKeyringEntry } from './internal-tls-probes.js';

describe('hub.internal_tls behind a TLS public listener', () => {
  const description = `bulwark-test-itls-public-${randomBytes(6).toString('hex')}`;
  // Under /run, as in production: the server's account must pass the parents of its credentials.
  const credentialsParent = mkdtempSync('/run/bulwark-itls-public-');
  chmodSync(credentialsParent, 0o711);
  let pki: TestPki | undefined;
  let user: OsUser | undefined;
  let hub: TestHub | undefined;
  let browser: Browser | undefined;
  let serverReady = false;

  before(async () => {
    pki = createTestPki();
    const leaf = pki.issue();
    // A PEM keystore is enough here: the other keystore kinds are hub-tls.test.ts's subject. The
    // chain includes the CA so that Chromium can match the CA's SPKI hash (chromium-tls.test.ts).
    writeFileSync(join(pki.dir, 'hub.crt'), `${leaf.certPem}${pki.caPem}`);
    writeFileSync(join(pki.dir, 'hub.key'), leaf.keyPem, { mode: 0o600 });
    user = await createOsUser();
    hub = await startTestHub({
      'hub.tls.keystore': `pem:${join(pki.dir, 'hub.crt')}?key=${join(pki.dir, 'hub.key')}`,
      'hub.internal_tls.enabled': true,
      'hub.internal_tls.ca_keystore': `keyctl:user:${description}`,
      'hub.internal_tls.credentials_dir': join(credentialsParent, 'credentials'),
      'hub.internal_tls.api_port': 0,
    });
  });
  after(async () => {
    await browser?.close();
    await hub?.close();
    pki?.remove();
    rmSync(credentialsParent, { recursive: true, force: true });
    removeKeyringEntry(description);
    if (user) await removeOsUser(user);
  });

  test("the user's token reaches /user/<name>/api/status over the public https listener; the proxy hop is mutual TLS", async () => {
    assert.ok(hub && pki && user);
    assert.match(hub.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const owner = await hub.handle.services.users.create({ name: user.name, password: 'itls-public-pw-1', authorized: true }, cliActor);
    const token = (await hub.handle.services.tokens.create({ owner, note: 'internal TLS + public TLS test' }, cliActor)).token;
    const headers = { authorization: `token ${token}` };

    const started = await httpsGet(`${hub.url}/hub/api/users/${user.name}/server`, pki.caPem, { method: 'POST', headers });
    assert.ok([201, 202].includes(started.status), `${started.status} ${started.body}`);
    const view = await hub.handle.servers.waitForSpawn(owner, '', 90_000);
    assert.equal(view?.ready, true, `spawn failed: ${view?.failure ?? 'still pending'}`);
    const state = view?.state;
    assert.ok(state);
    assert.match(state.url, /^https:\/\/127\.0\.0\.1:\d+\/user\//, 'the proxy targets the server over https');

    // Through the public listener (its certificate from the test CA) and the embedded proxy.
    const status = await httpsGet(`${hub.url}/user/${user.name}/api/status`, pki.caPem, { headers });
    assert.equal(status.status, 200, status.body);
    assert.ok('kernels' in (JSON.parse(status.body) as object), status.body);

    // The server accepts only clients holding a certificate from the internal CA, so the proxy's
    // request above carried one: without one, or with the public certificate, the handshake fails.
    const env = environOf(state.pid);
    const [keyFile = '', certFile = '', caFile = ''] = ['JUPYTERHUB_SSL_KEYFILE', 'JUPYTERHUB_SSL_CERTFILE', 'JUPYTERHUB_SSL_CLIENT_CA'].map((name) => env.get(name) ?? '');
    const internalCa = readFileSync(caFile, 'utf8');
    assert.notEqual(internalCa.trim(), pki.caPem.trim(), 'the internal CA is not the public one');
    const asServer = { ca: internalCa, key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
    assert.equal(await get(`${state.url}api/status`, { ...asServer, headers }), 200, 'a CA-signed client certificate is let in');
    await assert.rejects(get(`${state.url}api/status`, { ca: internalCa, headers }), refusedHandshake);
    const publicLeaf = { key: readFileSync(join(pki.dir, 'hub.key'), 'utf8'), cert: readFileSync(join(pki.dir, 'hub.crt'), 'utf8') };
    await assert.rejects(get(`${state.url}api/status`, { ca: internalCa, ...publicLeaf, headers }), refusedHandshake);

    // The server was given the mutual-TLS hub API, not the public listener nor a plain loopback one.
    const apiUrl = env.get('JUPYTERHUB_API_URL') ?? '';
    assert.match(apiUrl, /^https:\/\/127\.0\.0\.1:\d+\/hub\/api$/);
    assert.notEqual(new URL(apiUrl).port, new URL(hub.url).port);
    assert.equal(await get(`${apiUrl}/`, asServer), 200);
    await assert.rejects(get(`${apiUrl}/`, { ca: internalCa }), refusedHandshake);
    serverReady = true;
  });

  test('Chromium logs in over https and reaches the tree through OAuth, the server asking the mutual-TLS API', async () => {
    assert.ok(hub && pki && user);
    assert.ok(serverReady, 'the first test did not get the server running');
    const caSpki = new X509Certificate(pki.caPem).publicKey.export({ type: 'spki', format: 'der' });
    browser = await launchChromium([`--ignore-certificate-errors-spki-list=${createHash('sha256').update(caSpki).digest('base64')}`]);
    const page = await browser.newPage();
    const login = await page.goto(`${hub.url}/hub/login?next=${encodeURIComponent('/hub/home')}`);
    assert.equal(login?.status(), 200);
    assert.equal((await login?.securityDetails())?.issuer, 'Bulwark Test CA');
    await page.fill('input[name=username]', user.name);
    await page.fill('input[name=password]', 'itls-public-pw-1');
    await Promise.all([page.waitForURL(/\/hub\/home$/), page.click('button[type=submit]')]);
    // The title's dash is an HTML entity in the template: the browser shows the character.
    assert.match(await page.title(), / \u2014 Bulwark$/);

    const hops: string[] = [];
    page.on('request', (request) => {
      if (request.isNavigationRequest()) hops.push(new URL(request.url()).pathname);
    });
    const tree = await page.goto(`${hub.url}/user/${user.name}/tree`);
    assert.equal(tree?.status(), 200);
    assert.equal(new URL(page.url()).pathname, `/user/${user.name}/tree`);
    assert.equal(new URL(page.url()).origin, hub.url, 'the whole flow stayed on the public https origin');
    assert.equal((await tree?.securityDetails())?.issuer, 'Bulwark Test CA', 'the browser sees the public certificate, never the internal one');
    // The server sent the browser to the hub's authorize page and took the code at its callback,
    // exchanging it for a token on the hub's mutual-TLS API.
    assert.ok(hops.includes('/hub/api/oauth2/authorize'), hops.join(' '));
    assert.ok(hops.includes(`/user/${user.name}/oauth_callback`), hops.join(' '));
    const status = await page.evaluate(async (path) => (await fetch(path)).status, `/user/${user.name}/api/status`);
    assert.equal(status, 200, 'the page\'s own API calls go through the proxy to the server');
  });
});
