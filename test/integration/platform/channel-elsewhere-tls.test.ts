// A package channel elsewhere (spawner.package_channel_url): a real `bulwark channel serve`
// process serving https from a PKCS#12 keystore signed by a throwaway CA, with
// channel.require_auth. The hub trusts that CA (spawner.package_channel_ca) and reads the channel
// with a channel:read token kept in a file or the kernel keyring (spawner.package_channel_token); Debian's pip, run as
// the user inside the server with the environment the hub gave it, installs the release's wheel.
// Negative cases: no CA (pip and the hub refuse the certificate), no token (401, and the spawn
// says which key to set), and an unreadable token file (the hub does not start).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BulwarkError } from '../../../src/errors/index.js';
import type { User } from '../../../src/identity/index.js';
import { cliActor } from '../../../src/log/index.js';
import { runBulwarkInProcess } from '../../helpers/in-process-cli.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { buildWheel } from '../../helpers/wheel-builder.js';
import { addUserKey, requireKeyctl } from '../keystore/keyring-entry.js';
import { createTestPki, type TestPki } from '../keystore/test-pki.js';
import { pipServerCmd, runInServer } from './pip-server.js';

const bin = fileURLToPath(new URL('../../../bin/bulwark', import.meta.url));
const RELEASE = 'tls-kit';
const TARGET = 'cp311-manylinux_x86_64'; // Debian 12's /usr/bin/python3

describe('a channel elsewhere over https with channel.require_auth', { timeout: 600_000 }, () => {
  const temp = makeTempDir('bulwark-channel-elsewhere-');
  // Users must pass through the pip config directory's parents: a 0711 directory outside the 0700 temp dir.
  const shared = mkdtempSync(join(tmpdir(), 'bulwark-pipconf-'));
  chmodSync(shared, 0o711);
  const pipConfigDir = join(shared, 'pip');
  const tokenFile = join(temp.path, 'channel-read-token');
  const lib = buildWheel({ name: 'tls-lib', version: '1.0', files: { 'tls_lib/where.py': 'WHERE = "https channel"\n' } });
  let pki: TestPki;
  let channel: ChildProcess | undefined;
  let channelLog = '';
  let channelUrl = '';
  let readToken = '';
  let user: OsUser;

  // The channel's own configuration file, as its operator writes it (JSON is YAML); the CLI uses it too.
  const configFile = join(temp.path, 'channel.yaml');
  const cli = (...argv: string[]) => runBulwarkInProcess([...argv, '--config', configFile], { cwd: temp.path });
  async function ok(...argv: string[]): Promise<string> {
    const result = await cli(...argv);
    assert.equal(result.code, 0, `${argv.join(' ')}: ${result.stdout}${result.stderr}`);
    return result.stdout;
  }

  before(async () => {
    pki = createTestPki();
    const p12 = join(temp.path, 'channel.p12');
    const passFile = join(temp.path, 'channel.pass');
    writeFileSync(p12, pki.pkcs12(pki.issue(), 'channel-pass'), { mode: 0o600 });
    writeFileSync(passFile, 'channel-pass\n', { mode: 0o600 });
    writeFileSync(
      configFile,
      JSON.stringify({
        hub: { data_dir: join(temp.path, 'state') },
        log: { audit_file: join(temp.path, 'audit.log'), level: 'warn' },
        channel: {
          bind_url: 'https://127.0.0.1:0',
          data_dir: join(temp.path, 'channel'),
          require_auth: true,
          policy: { require_vetting: false },
          tls: { keystore: `pkcs12:${p12}?passphrase-file=${passFile}` },
        },
      }),
    );
    // The database exists before two processes use it.
    await ok('db', 'upgrade');
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: temp.path, BULWARK_RUN_SOURCES: '1' };
    channel = spawn(process.execPath, [bin, 'channel', 'serve', '--config', configFile], { cwd: temp.path, env, stdio: ['ignore', 'pipe', 'pipe'] });
    channel.stdout?.on('data', (chunk: Buffer) => (channelLog += chunk.toString()));
    channel.stderr?.on('data', (chunk: Buffer) => (channelLog += chunk.toString()));
    const running = /Bulwark channel running at (https:\/\/127\.0\.0\.1:\d+\/)/;
    const deadline = Date.now() + 60_000;
    while (!running.test(channelLog)) {
      if (channel.exitCode !== null || Date.now() > deadline) throw new Error(`bulwark channel serve did not come up:\n${channelLog}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    channelUrl = running.exec(channelLog)?.[1] ?? '';

    const house = join(temp.path, 'house');
    mkdirSync(house);
    writeFileSync(join(house, lib.filename), lib.bytes);
    await ok('channel', 'upload', join(house, lib.filename));
    writeFileSync(join(temp.path, 'top.txt'), 'tls-lib\n');
    await ok('channel', 'release', 'create', RELEASE, '--requirements', 'top.txt', '--target', TARGET);
    await ok('channel', 'release', 'publish', RELEASE, '--base-url', channelUrl);
    // The hub's credential on that channel: an account of the channel's own, a token with channel:read only.
    await ok('user', 'add', 'hub-reader', '--no-password');
    readToken = (await ok('token', 'create', 'hub-reader', '--scopes', 'channel:read', '--note', 'hub: servers read the channel')).trim();
    assert.match(readToken, /^\S+$/);
    writeFileSync(tokenFile, `${readToken}\n`, { mode: 0o600 });
    user = await createOsUser();
  });

  after(async () => {
    if (user) await removeOsUser(user);
    if (channel && channel.exitCode === null) {
      const exited = new Promise((resolve) => channel?.once('exit', resolve));
      channel.kill('SIGTERM');
      const timer = setTimeout(() => channel?.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    pki?.remove();
    temp.remove();
    rmSync(shared, { recursive: true, force: true });
  });

  /** Runs `work` against a hub bound to the channel; the hub and the user's server stop afterwards, even on failure. */
  async function withHub(settings: Record<string, unknown>, work: (hub: TestHub) => Promise<void>): Promise<void> {
    const hub = await startTestHub({
      'spawner.package_channel_url': channelUrl,
      'spawner.pip_config_dir': pipConfigDir,
      'spawner.cmd': pipServerCmd,
      ...settings,
    });
    try {
      await work(hub);
    } finally {
      await hub.close();
    }
  }

  /** Starts the user's server; its view once the spawn settled (ready or failed). */
  async function start(hub: TestHub): Promise<{ owner: User; ready: boolean; failure: string; url: string }> {
    const owner = (await hub.handle.services.users.get(user.name)) ?? (await hub.handle.services.users.create({ name: user.name, authorized: true }, cliActor));
    await hub.handle.servers.start(owner, '', cliActor);
    const view = await hub.handle.servers.waitForSpawn(owner, '', 120_000);
    return { owner, ready: view?.ready === true, failure: view?.failure ?? '', url: hub.handle.servers.view(owner)?.state?.url ?? '' };
  }

  const pipInstall = (...extra: string[]) => ['-m', 'pip', 'install', '--no-cache-dir', '--retries', '0', ...extra, 'tls-lib==1.0'];

  it('pip in the server installs the release\'s wheel over https, trusting the given CA, with the read token', async () => {
    await withHub({ 'spawner.package_channel': RELEASE, 'spawner.package_channel_ca': pki.caPath, 'spawner.package_channel_token': `file:${tokenFile}` }, async (hub) => {
      const server = await start(hub);
      assert.ok(server.ready, `${server.failure}\n${channelLog}`);

      const confName = readdirSync(pipConfigDir).find((name) => name.endsWith('.pip.conf')) ?? '';
      const conf = readFileSync(join(pipConfigDir, confName), 'utf8');
      const indexUrl = new URL(/^index-url = (.+)$/m.exec(conf)?.[1] ?? '');
      assert.equal(indexUrl.username, '__token__');
      assert.equal(indexUrl.password, readToken, 'the read token of spawner.package_channel_token is pip\'s password');
      assert.equal(`${indexUrl.origin}${indexUrl.pathname}`, `${channelUrl}releases/${RELEASE}/simple/`);
      const certPath = /^cert = (.+)$/m.exec(conf)?.[1] ?? '';
      assert.equal(readFileSync(certPath, 'utf8'), pki.caPem, 'the server trusts the configured CA');

      const installed = await runInServer(server.url, pipInstall());
      assert.equal(installed.code, 0, installed.stdout + installed.stderr);
      assert.match(installed.stdout, /Successfully installed tls-lib-1\.0/);
      const imported = await runInServer(server.url, ['-c', 'import tls_lib.where as w; print(w.WHERE, w.__file__)']);
      assert.equal(imported.stdout.trim(), `https channel ${user.home}/.local/lib/python3.11/site-packages/tls_lib/where.py`, imported.stderr);

      // The same pip without the credentials: the channel answers 401 (the CA is still trusted).
      const anonymous = await runInServer(server.url, pipInstall('-vv', '--force-reinstall', '--index-url', `${channelUrl}releases/${RELEASE}/simple/`));
      assert.notEqual(anonymous.code, 0, 'pip without the token must fail');
      assert.match(anonymous.stdout + anonymous.stderr, new RegExp(`"GET /releases/${RELEASE}/simple/tls-lib/ HTTP/1.1" 401 .*\\n.*401 Client Error: Authentication required`));
      assert.doesNotMatch(anonymous.stdout + anonymous.stderr, /CERTIFICATE_VERIFY_FAILED/);
      // With the token but the system trust store instead of the CA: the certificate is refused.
      const systemStore = await runInServer(server.url, pipInstall('--force-reinstall', '--cert', '/etc/ssl/certs/ca-certificates.crt'));
      assert.notEqual(systemStore.code, 0);
      assert.match(systemStore.stdout + systemStore.stderr, /CERTIFICATE_VERIFY_FAILED|certificate verify failed/i);
    });
  });

  it('without package_channel_ca: pip in the server refuses the certificate, and so does the hub reading a release', async () => {
    // The token from the hub's kernel keyring this time (keyctl:user:...), as an operator may keep it.
    requireKeyctl();
    const description = `bulwark-channel-read:${randomBytes(4).toString('hex')}`;
    const key = addUserKey(description, readToken);
    try {
      await withHub({ 'spawner.package_channel': 'approved', 'spawner.package_channel_token': `keyctl:user:${description}` }, async (hub) => {
        const server = await start(hub);
        // The approved index needs nothing from the channel at start: the server starts, its pip cannot connect.
        assert.ok(server.ready, server.failure);
        const confName = readdirSync(pipConfigDir).find((name) => name.endsWith('.pip.conf')) ?? '';
        const indexUrl = new URL(/^index-url = (.+)$/m.exec(readFileSync(join(pipConfigDir, confName), 'utf8'))?.[1] ?? '');
        assert.equal(indexUrl.password, readToken, 'the token read from the keyring is pip\'s password');
        assert.equal(`${indexUrl.origin}${indexUrl.pathname}`, `${channelUrl}simple/`);
        assert.equal(readdirSync(pipConfigDir).filter((name) => name.endsWith('.ca.pem')).length, 0, 'no CA file is handed out');
        const untrusted = await runInServer(server.url, pipInstall('--force-reinstall'));
        assert.notEqual(untrusted.code, 0, 'pip must not trust the channel without its CA');
        assert.match(untrusted.stdout + untrusted.stderr, /CERTIFICATE_VERIFY_FAILED|certificate verify failed/i);
      });
    } finally {
      key.remove();
    }

    await withHub({ 'spawner.package_channel': RELEASE, 'spawner.package_channel_token': `file:${tokenFile}` }, async (hub) => {
      const refused = await start(hub);
      assert.equal(refused.ready, false);
      assert.match(refused.failure, new RegExp(`the package channel at ${channelUrl} could not be used: .*certificate`));
    });
  });

  it('without package_channel_token the spawn fails saying which key to set; an unreadable token stops the hub at start-up', async () => {
    await withHub({ 'spawner.package_channel': RELEASE, 'spawner.package_channel_ca': pki.caPath }, async (hub) => {
      const refused = await start(hub);
      assert.equal(refused.ready, false);
      assert.match(refused.failure, /answered 401: the channel requires a token \(channel\.require_auth\); set spawner\.package_channel_token/);
    });

    const missing = join(temp.path, 'no-such-token');
    await assert.rejects(
      startTestHub({ 'spawner.package_channel': RELEASE, 'spawner.package_channel_url': channelUrl, 'spawner.package_channel_token': `file:${missing}`, 'spawner.pip_config_dir': pipConfigDir }),
      (error: unknown) => {
        assert.ok(error instanceof BulwarkError);
        assert.equal(error.code, 'SPAWNER_PACKAGE_CHANNEL_TOKEN_UNAVAILABLE');
        assert.equal(error.message, `spawner.package_channel_token: cannot read the package channel's read token from file:${missing}: cannot read ${missing}: ENOENT`);
        return true;
      },
    );
  });
});
