// Notebook environments bound to the package channel (spawner.package_channel): real Linux users,
// the real channel with a published release, the real jupyterhub-singleuser and Debian's pip
// 23.0.1 inside the server. Without a venv, `%pip install` in a kernel resolves from the release
// index alone (into the user site); with spawner.venv_from_release the hub builds the person's
// venv as that person and the kernel runs from it.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { User } from '../../../src/identity/index.js';
import { cliActor } from '../../../src/log/index.js';
import { createChannelPackageLink } from '../../../src/server/package-channel-adapter.js';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestChannel, type TestChannel } from '../../helpers/test-channel.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { buildWheel, type BuiltWheel } from '../../helpers/wheel-builder.js';
import { run } from '../channel/python-clients.js';
import { openKernelChannel, type KernelChannel } from '../proxy/kernel-channel.js';
import { bulwark } from '../releases/release-cli.js';

const RELEASE = 'toolkit1';
const TARGET = 'cp311-manylinux_x86_64'; // Debian 12's /usr/bin/python3 on this machine

/** A cell that runs pip as `%pip` does (sys.executable -m pip) and prints its exit code and output. */
const pipCell = (args: string) =>
  `import subprocess, sys\nr = subprocess.run([sys.executable, "-m", "pip", ${args}], capture_output=True, text=True)\nprint("EXIT", r.returncode)\nprint(r.stdout)\nprint(r.stderr)`;

const fileHashCell = (module: string) =>
  `import base64, hashlib, ${module}\nprint(${module}.__file__)\nprint(base64.urlsafe_b64encode(hashlib.sha256(open(${module}.__file__, "rb").read()).digest()).rstrip(b"=").decode())`;

/** The RECORD hash of one file inside a built wheel. */
function recordHash(wheel: BuiltWheel, path: string): string {
  const line = wheel.record.split('\n').find((l) => l.startsWith(`${path},`));
  return (line?.split(',')[1] ?? '').replace(/^sha256=/, '');
}

describe('servers bound to the package channel', { timeout: 600_000 }, () => {
  const temp = makeTempDir('bulwark-package-channel-');
  // Users must pass through the pip config directory's parents: a 0711 directory outside the 0700 temp dir.
  const shared = mkdtempSync(join(tmpdir(), 'bulwark-pipconf-'));
  chmodSync(shared, 0o711);
  const pipConfigDir = join(shared, 'pip');
  const cleanups: Array<() => Promise<void>> = [];
  let channel: TestChannel;
  const lib1 = buildWheel({ name: 'pc-lib', version: '1.0', files: { 'pc_lib/marker.py': 'WHERE = "release"\n' } });
  const lib2 = buildWheel({ name: 'pc-lib', version: '2.0' });
  const app = buildWheel({ name: 'pc-app', version: '1.0', requiresDist: ['pc-lib<2'] });
  const decoy = buildWheel({ name: 'pc-decoy', version: '1.0' }); // uploaded, never approved
  const elsewhere = buildWheel({ name: 'pc-elsewhere', version: '1.0' }); // only on another index
  const solo = buildWheel({ name: 'pc-solo', version: '1.0' }); // in release toolkit2, rejected after publishing

  before(async () => {
    channel = await startTestChannel({ 'channel.policy.require_vetting': true });
    const cli = (...argv: string[]) => bulwark(channel, temp.path, ...argv);
    const house = join(temp.path, 'wheelhouse');
    mkdirSync(house);
    for (const wheel of [lib1, lib2, app, decoy, solo]) writeFileSync(join(house, wheel.filename), wheel.bytes);
    const ingest = await cli('channel', 'ingest', '--wheelhouse', house);
    assert.equal(ingest.code, 0, ingest.stdout + ingest.stderr);
    for (const name of ['pc-lib', 'pc-app', 'pc-solo']) {
      const approve = await cli('channel', 'approve', name);
      assert.equal(approve.code, 0, approve.stdout + approve.stderr);
    }
    writeFileSync(join(temp.path, 'top.txt'), 'pc-app\n');
    const created = await cli('channel', 'release', 'create', RELEASE, '--requirements', 'top.txt', '--target', TARGET);
    assert.equal(created.code, 0, created.stdout + created.stderr);
    const published = await cli('channel', 'release', 'publish', RELEASE, '--base-url', channel.url);
    assert.equal(published.code, 0, published.stdout + published.stderr);
    writeFileSync(join(temp.path, 'solo.txt'), 'pc-solo\n');
    for (const argv of [
      ['channel', 'release', 'create', 'toolkit2', '--requirements', 'solo.txt', '--target', TARGET],
      ['channel', 'release', 'publish', 'toolkit2', '--base-url', channel.url],
      // Rejected after publishing: the release index stops offering it, so installing toolkit2 fails.
      ['channel', 'reject', 'pc-solo', '--reason', 'withdrawn after publishing'],
    ]) {
      const result = await cli(...argv);
      assert.equal(result.code, 0, `${argv.join(' ')}: ${result.stdout}${result.stderr}`);
    }
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await channel?.close();
    temp.remove();
    rmSync(shared, { recursive: true, force: true });
  });

  async function newUser(): Promise<OsUser> {
    const user = await createOsUser();
    cleanups.push(() => removeOsUser(user));
    return user;
  }

  async function hubFor(settings: Record<string, unknown>, inProcess: boolean): Promise<TestHub> {
    const hub = await startTestHub(
      { 'spawner.package_channel': RELEASE, 'spawner.pip_config_dir': pipConfigDir, 'spawner.start_timeout': 120, ...settings },
      undefined,
      inProcess
        ? {
            // As `bulwark up` wires it, with the test channel's own listener standing in for the mount.
            extend: async () => ({
              packageChannel: createChannelPackageLink(channel.handle.context, { serverOrigin: () => channel.handle.url, publicUrl: () => channel.handle.url }, '/'),
            }),
          }
        : {},
    );
    cleanups.push(() => hub.close());
    return hub;
  }

  async function spawn(hub: TestHub, user: OsUser, password?: string): Promise<{ owner: User; token: string; messages: string[] }> {
    const owner =
      (await hub.handle.services.users.get(user.name)) ??
      (await hub.handle.services.users.create({ name: user.name, authorized: true, ...(password ? { password } : {}) }, cliActor));
    const { token } = await hub.handle.services.tokens.create({ owner, note: 'test' }, cliActor);
    const started = await fetch(`${hub.url}/hub/api/users/${user.name}/server`, { method: 'POST', headers: { authorization: `token ${token}` } });
    assert.ok([201, 202].includes(started.status), await started.text());
    const messages: string[] = [];
    hub.handle.servers.progress(owner, '')?.follow((event) => messages.push(event.message));
    const view = await hub.handle.servers.waitForSpawn(owner, '', 400_000);
    assert.equal(view?.ready, true, `${view?.failure ?? 'still starting'}\n${messages.join('\n')}`);
    return { owner, token, messages };
  }

  async function kernel(hub: TestHub, user: OsUser, token: string): Promise<KernelChannel> {
    const channelToKernel = await openKernelChannel(hub.url, `/user/${user.name}/`, token);
    cleanups.push(() => channelToKernel.close());
    return channelToKernel;
  }

  it('bulwark hub refuses to start with package_channel set and no channel to reach', async () => {
    await assert.rejects(startTestHub({ 'spawner.package_channel': 'approved', 'spawner.pip_config_dir': pipConfigDir }), (error: Error) => {
      assert.match(error.message, /spawner\.package_channel is "approved" but there is no package channel: set spawner\.package_channel_url/);
      return true;
    });
  });

  it('without a venv: %pip installs exactly the release file; unknown, unvetted and other-index packages are not found', async () => {
    const alice = await newUser();
    // A package index of alice's own, named in her ~/.config/pip/pip.conf, as anyone could have.
    const otherIndex = mkdtempSync(join(tmpdir(), 'bulwark-other-index-'));
    cleanups.push(async () => rmSync(otherIndex, { recursive: true, force: true }));
    chmodSync(otherIndex, 0o755);
    mkdirSync(join(otherIndex, 'simple', 'pc-elsewhere'), { recursive: true });
    writeFileSync(join(otherIndex, elsewhere.filename), elsewhere.bytes);
    writeFileSync(join(otherIndex, 'simple', 'pc-elsewhere', 'index.html'), `<a href="../../${elsewhere.filename}#sha256=${elsewhere.sha256}">${elsewhere.filename}</a>\n`);
    const userConf = join(alice.home, '.config', 'pip');
    await run('/usr/bin/setpriv', ['--reuid', alice.name, '--regid', String(alice.gid), '--init-groups', '--', '/bin/mkdir', '-p', userConf]);
    await run('/usr/bin/setpriv', ['--reuid', alice.name, '--regid', String(alice.gid), '--init-groups', '--', '/bin/sh', '-c', `printf '[global]\\nextra-index-url = file://${otherIndex}/simple\\n' > ${userConf}/pip.conf`]);
    // Control: outside the hub, alice's own pip does find pc-elsewhere through her config.
    const control = await run(
      '/usr/bin/setpriv',
      ['--reuid', alice.name, '--regid', String(alice.gid), '--init-groups', '--', '/usr/bin/python3', '-m', 'pip', 'download', '--no-deps', '-d', join(alice.home, 'dl'), 'pc-elsewhere', '--index-url', 'http://127.0.0.1:9/nothing/'],
      { env: { HOME: alice.home, PATH: '/usr/bin:/bin' }, cwd: alice.home },
    );
    assert.match(control.stdout, /Saved .*pc_elsewhere-1\.0-py3-none-any\.whl/, control.stdout + control.stderr);

    // Over HTTP only, as for a channel elsewhere (spawner.package_channel_url).
    const hub = await hubFor({ 'spawner.package_channel_url': channel.url }, false);
    const { owner, token, messages } = await spawn(hub, alice, 'alice-password-1');
    assert.ok(messages.some((m) => m === `Binding pip to the package channel (release ${RELEASE})`), messages.join('\n'));
    const k = await kernel(hub, alice, token);

    const env = await k.execute('import os\nfor n in ("PIP_CONFIG_FILE", "PIP_INDEX_URL", "PIP_ONLY_BINARY", "PIP_USER"): print(n, os.environ.get(n))');
    const confPath = /PIP_CONFIG_FILE (\S+)/.exec(env)?.[1] ?? '';
    assert.match(env, new RegExp(`PIP_INDEX_URL ${channel.url}releases/${RELEASE}/simple/`));
    assert.match(env, /PIP_ONLY_BINARY :all:/);
    const conf = statSync(confPath);
    assert.equal(conf.uid, alice.uid, 'the generated pip.conf belongs to the server\'s user');
    assert.equal(conf.mode & 0o777, 0o400, 'and only that user may read it');
    assert.equal(statSync(pipConfigDir).mode & 0o777, 0o711);
    assert.match(readFileSync(confPath, 'utf8'), new RegExp(`^index-url = ${channel.url}releases/${RELEASE}/simple/$`, 'm'));

    // %pip as a person types it, then the import in the same kernel (the user site existed at start).
    const magic = await k.execute('%pip install pc-app', 180_000);
    assert.match(magic, /Successfully installed pc-app-1\.0 pc-lib-1\.0/, magic);
    const imported = await k.execute('import pc_app, pc_lib, pc_lib.marker\nprint(pc_lib.__version__, pc_lib.marker.WHERE, pc_lib.__file__)');
    assert.match(imported, new RegExp(`^1\\.0 release ${alice.home}/\\.local/lib/python3\\.11/site-packages/pc_lib/__init__\\.py$`, 'm'), imported);
    // The very file of the release: the installed bytes hash as the wheel's RECORD says, and pip
    // reports the archive it installed by the release pin's sha256.
    const hashes = await k.execute(fileHashCell('pc_lib.marker'));
    assert.equal(hashes.trim().split('\n')[1], recordHash(lib1, 'pc_lib/marker.py'));
    const report = await k.execute(pipCell('"install", "--force-reinstall", "--no-deps", "--report", "-", "--quiet", "pc-lib"'), 180_000);
    assert.match(report, /^EXIT 0$/m, report);
    const reportJson = JSON.parse(report.slice(report.indexOf('{'), report.lastIndexOf('}') + 1)) as { install: { download_info: { url: string; archive_info: { hash?: string; hashes?: { sha256: string } } } }[] };
    const info = reportJson.install[0]?.download_info;
    assert.equal(info?.archive_info.hashes?.sha256 ?? info?.archive_info.hash?.replace('sha256=', ''), lib1.sha256);
    assert.ok(info?.url.startsWith(`${channel.url}releases/${RELEASE}/files/`), info?.url);

    const unknown = await k.execute(pipCell('"install", "pc-nonexistent"'), 180_000);
    assert.match(unknown, /^EXIT 1$/m);
    assert.match(unknown, /ERROR: No matching distribution found for pc-nonexistent/);
    const unvetted = await k.execute(pipCell('"install", "pc-decoy"'), 180_000);
    assert.match(unvetted, /ERROR: No matching distribution found for pc-decoy/);
    const otherOnly = await k.execute(pipCell('"install", "pc-elsewhere"'), 180_000);
    assert.match(otherOnly, /ERROR: No matching distribution found for pc-elsewhere/);
    assert.doesNotMatch(otherOnly, /bulwark-other-index|opt\/pypi|Looking in links/, 'neither the user\'s nor the machine\'s extra sources are consulted');
    const newer = await k.execute(pipCell('"install", "pc-lib==2.0"'), 180_000);
    assert.match(newer, /No matching distribution found for pc-lib==2\.0/, 'approved but not in the release');

    // The home page names the release and links its page on the channel.
    const browser = new BrowserLikeClient(hub.url);
    await browser.submitForm('/hub/login', '/hub/login', { username: alice.name, password: 'alice-password-1' });
    const home = await browser.request('/hub/home');
    assert.match(home.body, new RegExp(`id="package-channel">Your environment installs release <a href="${channel.url}releases/${RELEASE}/">${RELEASE}</a>`));

    await k.close();
    const stopped = await fetch(`${hub.url}/hub/api/users/${alice.name}/server`, { method: 'DELETE', headers: { authorization: `token ${token}` } });
    assert.ok([202, 204].includes(stopped.status));
    assert.equal(hub.handle.servers.view(owner), undefined);
    assert.equal(existsSync(confPath), false, 'the generated pip.conf goes with the server');
  });

  it('approved: the whole approved index, in-process as under `bulwark up`; unvetted packages stay out', async () => {
    const erin = await newUser();
    const hub = await hubFor({ 'spawner.package_channel': 'approved' }, true);
    const { token } = await spawn(hub, erin);
    const k = await kernel(hub, erin, token);
    const env = await k.execute('import os\nprint(os.environ["PIP_INDEX_URL"])');
    assert.equal(env.trim(), `${channel.handle.url}/simple/`);
    const newest = await k.execute(pipCell('"install", "pc-lib"'), 180_000);
    assert.match(newest, /Successfully installed pc-lib-2\.0/, 'the approved index offers every approved version, not only the release\'s');
    const unvetted = await k.execute(pipCell('"install", "pc-decoy"'), 180_000);
    assert.match(unvetted, /ERROR: No matching distribution found for pc-decoy/);
    await k.close();
  });

  it('venv_from_release: the venv is built as the person, the kernel runs from it, and later starts check it', async () => {
    const bob = await newUser();
    const hub = await hubFor({ 'spawner.venv_from_release': true }, true);
    const first = await spawn(hub, bob);
    const venv = join(bob.home, '.bulwark', 'venvs', RELEASE);
    assert.ok(first.messages.includes(`Creating your Python environment ${venv} from release ${RELEASE}`), first.messages.join('\n'));
    assert.ok(first.messages.some((m) => /^Successfully installed pc_app-1\.0 pc_lib-1\.0$/.test(m)), first.messages.join('\n'));
    for (const path of [venv, join(venv, 'bin', 'python'), join(venv, 'lib', 'python3.11', 'site-packages', 'pc_lib', '__init__.py'), join(venv, 'share', 'jupyter', 'kernels', 'python3', 'kernel.json')]) {
      assert.equal(lstatSync(path).uid, bob.uid, `${path} is made by the person, not root`);
    }
    const k = await kernel(hub, bob, first.token);
    const where = await k.execute('import sys, pc_lib, os\nprint(sys.executable)\nprint(pc_lib.__file__)\nprint(os.environ["VIRTUAL_ENV"])');
    assert.deepEqual(where.trim().split('\n'), [join(venv, 'bin', 'python'), join(venv, 'lib', 'python3.11', 'site-packages', 'pc_lib', '__init__.py'), venv]);
    const hash = await k.execute(fileHashCell('pc_lib.marker'));
    assert.equal(hash.trim().split('\n')[1], recordHash(lib1, 'pc_lib/marker.py'));
    const magic = await k.execute('%pip install pc-app', 180_000);
    assert.match(magic, /Requirement already satisfied: pc-app .*\/\.bulwark\/venvs\/toolkit1\/lib/, magic);
    const unknown = await k.execute(pipCell('"install", "pc-decoy"'), 180_000);
    assert.match(unknown, /ERROR: No matching distribution found for pc-decoy/);
    await k.close();

    const stop = () => fetch(`${hub.url}/hub/api/users/${bob.name}/server`, { method: 'DELETE', headers: { authorization: `token ${first.token}` } });
    await stop();
    const second = await spawn(hub, bob);
    assert.ok(second.messages.includes(`Your environment matches release ${RELEASE}`), second.messages.join('\n'));
    assert.ok(!second.messages.some((m) => m.startsWith('Creating your Python environment')), 'the venv is made once');
    await stop();

    appendFileSync(join(venv, 'lib', 'python3.11', 'site-packages', 'pc_lib', 'marker.py'), 'WHERE = "tampered"\n');
    const third = await spawn(hub, bob);
    assert.ok(
      third.messages.includes(`Warning: your environment differs from release ${RELEASE}: modified: pc-lib 1.0 (1 file: pc_lib/marker.py)`),
      third.messages.join('\n'),
    );
    await stop();
  });

  it('a failed install fails the spawn with pip\'s own message and leaves no half-built venv', async () => {
    const dave = await newUser();
    // Over HTTP: the release's page names its targets, the requirements file comes from the channel.
    const hub = await hubFor({ 'spawner.package_channel': 'toolkit2', 'spawner.venv_from_release': true, 'spawner.package_channel_url': channel.url }, false);
    const owner = await hub.handle.services.users.create({ name: dave.name, authorized: true }, cliActor);
    await hub.handle.servers.start(owner, '', cliActor);
    const view = await hub.handle.servers.waitForSpawn(owner, '', 300_000);
    assert.equal(view?.ready, false);
    assert.match(view?.failure ?? '', /building the environment .*\/\.bulwark\/venvs\/toolkit2 from release toolkit2 failed: pip install: exit code 1/);
    assert.match(view?.failure ?? '', /ERROR: No matching distribution found for pc_solo==1\.0/);
    assert.equal(existsSync(join(dave.home, '.bulwark', 'venvs', 'toolkit2')), false, 'the next start builds it again');
    assert.equal(existsSync(join(pipConfigDir, `u${dave.uid}-s.pip.conf`)), false, 'a failed start leaves no pip.conf');
  });

  it('a release that is not published fails the spawn with the reason, before anything is built', async () => {
    const carol = await newUser();
    const hub = await hubFor({ 'spawner.package_channel': 'no-such-release', 'spawner.venv_from_release': true }, true);
    const owner = await hub.handle.services.users.create({ name: carol.name, authorized: true }, cliActor);
    await hub.handle.servers.start(owner, '', cliActor);
    const view = await hub.handle.servers.waitForSpawn(owner, '', 120_000);
    assert.equal(view?.ready, false);
    assert.match(view?.failure ?? '', /the package channel at .* could not be used: release no-such-release is not published there/);
    assert.equal(existsSync(join(carol.home, '.bulwark', 'venvs', 'no-such-release')), false);
  });
});
