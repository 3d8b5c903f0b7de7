// hub.internal_tls end to end: the real hub with the real jupyterhub-singleuser under a real Linux
// account. The server gets its own certificate files (0600, its account's), serves https that
// requires a client certificate from the internal CA, is reached through the embedded proxy (HTTP
// and a kernel WebSocket) with the hub's client certificate, and calls the hub API on a listener
// that refuses clients without one. The CA lives in the kernel keyring, so a second hub process
// re-adopts the running server.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createInternalCa } from '../../../src/keystore/internal-ca.js';
import { cliActor } from '../../../src/log/index.js';
import type { ServerState } from '../../../src/spawner/spawner.js';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { findFreePort } from '../../helpers/ports.js';
import { openKernelChannel } from '../proxy/kernel-channel.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { findKeyFiles, keyFingerprints } from './no-key-files.js';
import { environOf, get, refusedHandshake, removeKeyringEntry } from './internal-tls-probes.js';

describe('hub.internal_tls with the real jupyterhub-singleuser', () => {
  const description = `bulwark-test-internal-ca-${randomBytes(6).toString('hex')}`;
  const dataDir = mkdtempSync('/run/bulwark-itls-data-');
  const credentialsDir = join(mkdtempSync('/run/bulwark-itls-'), 'credentials');
  const settings: Record<string, unknown> = {
    'hub.data_dir': dataDir,
    'hub.internal_tls.enabled': true,
    'hub.internal_tls.ca_keystore': `keyctl:user:${description}`,
    'hub.internal_tls.credentials_dir': credentialsDir,
  };
  // Accounts pass through (not list) the parent, as they do /run.
  chmodSync(join(credentialsDir, '..'), 0o711);
  let user: OsUser;
  let hub: TestHub | undefined;
  let second: TestHub | undefined;
  let state: ServerState | undefined;
  let serverCaPem = '';
  const startedAt = new Date();

  before(async () => {
    user = await createOsUser();
    // A fixed API port, as in production: the re-adopted server must find the second hub's API there.
    settings['hub.internal_tls.api_port'] = await findFreePort();
    hub = await startTestHub(settings);
  });
  after(async () => {
    await hub?.close();
    await second?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(join(credentialsDir, '..'), { recursive: true, force: true });
    removeKeyringEntry(description);
    if (user) await removeOsUser(user);
  });

  test('a logged-in user reaches the server through the proxy; the server and the hub API demand CA certificates', async () => {
    assert.ok(hub);
    await hub.handle.services.users.create({ name: user.name, password: 'internal-tls-pw-1', authorized: true }, cliActor);
    const client = new BrowserLikeClient(hub.url);
    const home = await client.submitForm('/hub/login?next=%2Fhub%2Fhome', '/hub/login?next=%2Fhub%2Fhome', { username: user.name, password: 'internal-tls-pw-1' });
    assert.equal(home.url, '/hub/home');
    await client.request('/hub/spawn', { form: { _xsrf: BrowserLikeClient.xsrfFrom(home.body) } });
    const view = await hub.handle.servers.waitForSpawn(await hub.handle.services.users.require(user.name), '', 90_000);
    assert.equal(view?.ready, true, `spawn failed: ${view?.failure ?? 'still pending'}`);
    assert.ok(view?.state);
    state = view.state;
    assert.match(state.url, /^https:\/\/127\.0\.0\.1:\d+\/user\//);

    // The OAuth flow: the server exchanges the code and asks who the user is over the mutual-TLS hub API.
    const tree = await client.request(`/user/${user.name}/tree`);
    assert.equal(tree.status, 200, tree.body);
    assert.ok(tree.hops.some((hop) => hop.startsWith(`/user/${user.name}/oauth_callback?code=`)), tree.hops.join(' '));
    const status = await client.request(`/user/${user.name}/api/status`, { headers: { accept: 'application/json' } });
    assert.equal(status.status, 200, status.body);
    assert.ok('kernels' in (JSON.parse(status.body) as object));

    // A kernel WebSocket through the proxy's https upgrade path; the server checks the token with the hub API.
    const owner = await hub.handle.services.users.require(user.name);
    const token = (await hub.handle.services.tokens.create({ owner, note: 'internal TLS test' }, cliActor)).token;
    const channel = await openKernelChannel(hub.url, `/user/${user.name}/`, token);
    try {
      assert.equal(await channel.execute('print(6 * 7)'), '42\n');
    } finally {
      await channel.close();
    }

    // The server's files: its own directory and files, readable by its account only.
    const env = environOf(state.pid);
    const files = ['JUPYTERHUB_SSL_KEYFILE', 'JUPYTERHUB_SSL_CERTFILE', 'JUPYTERHUB_SSL_CLIENT_CA'].map((name) => env.get(name) ?? '');
    const dir = join(credentialsDir, `${user.uid}-${state.port}`);
    for (const file of files) {
      assert.equal(file.startsWith(`${dir}/`), true, `${file} is not under ${dir}`);
      const stat = statSync(file);
      assert.equal(stat.mode & 0o777, 0o600, `${file} mode ${(stat.mode & 0o777).toString(8)}`);
      assert.equal(stat.uid, user.uid);
    }
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(dir).uid, user.uid);
    const [keyFile = '', certFile = '', caFile = ''] = files;
    const ca = readFileSync(caFile, 'utf8');
    serverCaPem = ca;
    const asServer = { ca, key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };

    // The server's port: a CA-signed client certificate gets in; none, or one from another CA, does not.
    assert.equal(await get(`${state.url}api`, asServer), 200);
    await assert.rejects(get(`${state.url}api`, { ca }), refusedHandshake);
    const stranger = await (await createInternalCa()).issue({ commonName: 'bulwark-hub', use: 'client', validityDays: 1 });
    await assert.rejects(get(`${state.url}api`, { ca, key: stranger.keyPem, cert: stranger.certPem }), refusedHandshake);

    // The hub API the server was given: https on loopback, mutual TLS.
    const apiUrl = env.get('JUPYTERHUB_API_URL') ?? '';
    assert.match(apiUrl, /^https:\/\/127\.0\.0\.1:\d+\/hub\/api$/);
    assert.equal(await get(`${apiUrl}/`, asServer), 200);
    await assert.rejects(get(`${apiUrl}/`, { ca }), refusedHandshake);
    await assert.rejects(get(`${apiUrl}/`, { ca, key: stranger.keyPem, cert: stranger.certPem }), refusedHandshake);
  });

  test('the CA key is held in the kernel keyring and in no file', () => {
    const id = execFileSync('keyctl', ['search', '@u', 'user', description], { stdio: 'pipe' }).toString().trim();
    const bundle = execFileSync('keyctl', ['pipe', id], { stdio: 'pipe' }).toString();
    const caKey = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(bundle)?.[0] ?? '';
    assert.ok(caKey, 'the keyring entry holds the CA key');
    assert.ok(serverCaPem !== '' && bundle.includes(serverCaPem.trim()), 'the CA certificate servers trust is the one in the keyring');
    const patterns = keyFingerprints(caKey);
    // The data directory holds no private key at all; /tmp and the servers' directories not the CA's
    // (other tests on this machine may leave keys of their own in /tmp).
    assert.deepEqual(findKeyFiles([dataDir], null, patterns), []);
    const copies = findKeyFiles([tmpdir(), credentialsDir], startedAt, patterns).filter((finding) => {
      const content = readFileSync(finding.path);
      return patterns.some((pattern) => content.includes(pattern));
    });
    assert.deepEqual(copies, []);
  });

  test('a second hub process (same boot, same keyring) re-adopts the server; stopping it removes its files', async () => {
    assert.ok(state, 'the first test did not start a server');
    assert.ok(hub);
    await hub.handle.close({ stopServers: false });
    second = await startTestHub(settings);
    // Through the new hub's proxy: its client certificate comes from the same CA, so the server takes it.
    const version = await fetch(`${second.url}/user/${user.name}/api`);
    assert.equal(version.status, 200, await version.text());
    // A new login through the new hub: the server completes OAuth against the new hub's API listener.
    const client = new BrowserLikeClient(second.url);
    const home = await client.submitForm('/hub/login?next=%2Fhub%2Fhome', '/hub/login?next=%2Fhub%2Fhome', { username: user.name, password: 'internal-tls-pw-1' });
    assert.equal(home.url, '/hub/home');
    const tree = await client.request(`/user/${user.name}/tree`);
    assert.equal(tree.status, 200, tree.body);
    const status = await client.request(`/user/${user.name}/api/status`, { headers: { accept: 'application/json' } });
    assert.equal(status.status, 200, status.body);
    const dir = join(credentialsDir, `${user.uid}-${state.port}`);
    assert.equal(existsSync(dir), true);
    await second.handle.close({ stopServers: true });
    assert.equal(existsSync(dir), false, `${dir} is still there after the server stopped`);
    // Gone, or a zombie: the first hub launched it from this test process, which reaps it in its own time.
    let stat = '';
    try {
      stat = readFileSync(`/proc/${state.pid}/stat`, 'utf8');
    } catch {
      // Reaped: gone entirely.
    }
    assert.ok(stat === '' || /\) Z /.test(stat), `server process ${state.pid} still runs: ${stat}`);
  });
});
