// `bulwark up` as the README runs it: one real process serving the hub and the channel on one
// listener and one database; the CLI, twine and pip work against it as an administrator would.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { buildWheel } from '../../helpers/wheel-builder.js';
import { DEBIAN_PYTHON, isolatedEnv, makeVenv, run, twineUpload } from '../channel/python-clients.js';

const bin = fileURLToPath(new URL('../../../bin/bulwark', import.meta.url));

describe('bulwark up: hub and channel in one process', () => {
  const temp = makeTempDir('bulwark-up-');
  const dataDir = join(temp.path, 'data');
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: temp.path, BULWARK_RUN_SOURCES: '1' };
  let child: ChildProcess | undefined;
  let stdout = '';
  let stderr = '';
  let origin = '';
  // Asynchronous on purpose: a blocked event loop would hand fetch a keep-alive socket the server already closed.
  const cli = (...args: string[]) => run(process.execPath, [bin, ...args, '--set', `hub.data_dir=${dataDir}`], { cwd: temp.path, env });

  before(async () => {
    child = spawn(process.execPath, [bin, 'up', '--bind-url', 'http://127.0.0.1:0', '--data-dir', dataDir, '--log-level', 'warn'], { cwd: temp.path, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = Date.now() + 60_000;
    while (!/channel:\s+(http:\/\/127\.0\.0\.1:\d+)\/channel\//.test(stdout)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`bulwark up did not come up:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    origin = /channel:\s+(http:\/\/127\.0\.0\.1:\d+)\/channel\//.exec(stdout)?.[1] ?? '';
  });
  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child?.once('exit', resolve));
    }
    temp.remove();
  });

  test('the banner names the hub, the channel and how to create the first admin', async () => {
    assert.match(stdout, new RegExp(`hub:\\s+${origin}/hub/`));
    assert.match(stdout, /No admin exists yet[\s\S]*bulwark user add admin --admin/);
    assert.equal((await fetch(`${origin}/hub/login`)).status, 200);
    const simple = await fetch(`${origin}/channel/simple/`);
    assert.equal(simple.status, 200);
    assert.match(await simple.text(), /pypi:repository-version/);
    const bare = await fetch(`${origin}/channel`, { redirect: 'manual' });
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), '/channel/');
  });

  test('one identity store: a hub token publishes with twine, the CLI approves, pip installs through the hub listener', async () => {
    assert.equal((await cli('user', 'add', 'admin', '--admin', '--no-password')).code, 0);
    const token = await cli('token', 'create', 'admin', '--scopes', 'channel:publish', '--note', 'twine');
    assert.equal(token.code, 0, token.stderr);
    const secret = token.stdout.trim().split(/\s+/).find((word) => /^[0-9a-f]{32}$/.test(word));
    assert.ok(secret, `no token in: ${token.stdout}`);
    // The same token is a hub API token too: the hub knows who it belongs to.
    const me = await fetch(`${origin}/hub/api/user`, { headers: { authorization: `token ${secret}` } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { name: string }).name, 'admin');

    const house = join(temp.path, 'house');
    mkdirSync(house);
    const wheel = buildWheel({ name: 'up-demo', version: '1.0', files: { 'up_demo/answer.py': 'ANSWER = 42\n' } });
    writeFileSync(join(house, wheel.filename), wheel.bytes);
    const upload = await twineUpload(`${origin}/channel/`, secret, [join(house, wheel.filename)]);
    assert.equal(upload.code, 0, upload.stdout + upload.stderr);
    // Vetted but not approved yet: not in the index (channel.policy.require_vetting is on by default).
    const before = await fetch(`${origin}/channel/simple/up-demo/`);
    assert.equal(before.status, 404);
    const approve = await cli('channel', 'approve', 'up-demo', '--reason', 'reviewed');
    assert.equal(approve.code, 0, approve.stdout + approve.stderr);
    assert.equal((await fetch(`${origin}/channel/simple/up-demo/`)).status, 200);

    const python = await makeVenv(DEBIAN_PYTHON, join(temp.path, 'venv'));
    const install = await run(python, ['-m', 'pip', 'install', '--isolated', '--no-cache-dir', '--index-url', `${origin}/channel/simple/`, '--only-binary', ':all:', 'up-demo'], { env: isolatedEnv() });
    assert.equal(install.code, 0, install.stdout + install.stderr);
    const imported = await run(python, ['-c', 'from up_demo.answer import ANSWER; print(ANSWER)'], { env: isolatedEnv() });
    assert.equal(imported.stdout.trim(), '42');
  });

  test('SIGTERM stops the platform cleanly', async () => {
    assert.ok(child);
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  });
});
