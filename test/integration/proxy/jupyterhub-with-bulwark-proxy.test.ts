// The real Python JupyterHub 3.0 (Debian) with `bulwark proxy` as its c.ConfigurableHTTPProxy.command:
// JupyterHub starts the proxy with CHP's flags and token, drives its route API, and a user's
// session (login, spawn, OAuth, REST, kernel WebSocket) goes through it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { findFreePort } from '../../helpers/ports.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { bulwarkProxyCommand, waitForHttp } from './bulwark-proxy-process.js';
import { openKernelChannel } from './kernel-channel.js';

const python = '/usr/bin/python3';
const temp = makeTempDir('bulwark-jhub-');
const password = 'dummy-password-123';
let user: OsUser;
let hub: ChildProcess | undefined;
let hubLog = '';
let publicUrl = '';
let apiPort = 0;

function quote(argument: string): string {
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}

before(async () => {
  if (!existsSync('/usr/lib/python3/dist-packages/jupyterhub/proxy.py')) {
    throw new Error('Debian jupyterhub is not installed; run scripts/setup.sh --test (apt-get install jupyterhub)');
  }
  user = await createOsUser();
  const [port, hubPort] = [await findFreePort(), await findFreePort()];
  apiPort = await findFreePort();
  publicUrl = `http://127.0.0.1:${port}`;
  // The wrapper JupyterHub runs as its proxy command; it records the arguments it was given.
  const wrapper = join(temp.path, 'bulwark-proxy.sh');
  writeFileSync(
    wrapper,
    `#!/bin/sh\necho "$@" > ${quote(join(temp.path, 'proxy-args'))}\nexec ${bulwarkProxyCommand().map(quote).join(' ')} "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  writeFileSync(
    join(temp.path, 'jupyterhub_config.py'),
    [
      `c.JupyterHub.bind_url = 'http://127.0.0.1:${port}'`,
      `c.JupyterHub.hub_ip = '127.0.0.1'`,
      `c.JupyterHub.hub_port = ${hubPort}`,
      `c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:${apiPort}'`,
      `c.ConfigurableHTTPProxy.command = [${JSON.stringify(wrapper)}]`,
      `c.ConfigurableHTTPProxy.pid_file = ${JSON.stringify(join(temp.path, 'proxy.pid'))}`,
      `c.JupyterHub.db_url = 'sqlite:///${join(temp.path, 'jupyterhub.sqlite')}'`,
      `c.JupyterHub.cookie_secret_file = ${JSON.stringify(join(temp.path, 'cookie_secret'))}`,
      `c.JupyterHub.pid_file = ${JSON.stringify(join(temp.path, 'jupyterhub.pid'))}`,
      `c.JupyterHub.authenticator_class = 'dummy'`,
      `c.DummyAuthenticator.password = ${JSON.stringify(password)}`,
      `c.Authenticator.allowed_users = {${JSON.stringify(user.name)}}`,
      `c.JupyterHub.spawner_class = 'localprocess'`,
      `c.Spawner.cmd = ['/usr/bin/jupyterhub-singleuser']`,
      `c.Spawner.ip = '127.0.0.1'`,
      `c.Spawner.environment = {'JUPYTERHUB_SINGLEUSER_APP': 'notebook.notebookapp.NotebookApp'}`,
      `c.Spawner.default_url = '/tree'`,
      `c.Spawner.start_timeout = 60`,
      `c.Spawner.http_timeout = 60`,
    ].join('\n'),
  );
  hub = spawn(python, ['-m', 'jupyterhub', '-f', join(temp.path, 'jupyterhub_config.py')], { cwd: temp.path, stdio: ['ignore', 'ignore', 'pipe'] });
  hub.stderr?.on('data', (chunk: Buffer) => {
    hubLog += chunk.toString('utf8');
  });
  try {
    await waitForHttp(`${publicUrl}/hub/api`, 60_000, hub, 200);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- jupyterhub log ---\n${hubLog}`, { cause: error });
  }
});

after(async () => {
  if (hub !== undefined && hub.exitCode === null) {
    const exited = new Promise((resolve) => hub?.once('exit', resolve));
    hub.kill('SIGTERM');
    const timer = setTimeout(() => hub?.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  // JupyterHub stops its proxy on exit; make sure of it if the hub died early.
  const pidFile = join(temp.path, 'proxy.pid');
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  if (user !== undefined) await removeOsUser(user);
  temp.remove();
});

test('JupyterHub 3.0 starts bulwark proxy with every flag it passes', () => {
  const args = readFileSync(join(temp.path, 'proxy-args'), 'utf8').trim();
  for (const flag of ['--ip', '--port', '--api-ip', '--api-port', '--error-target', '--log-level']) assert.ok(args.includes(flag), args);
  assert.match(args, new RegExp(`--api-port ${apiPort}`));
});

test('login, spawn, OAuth, REST and a kernel WebSocket through bulwark proxy', async () => {
  const browser = new BrowserLikeClient(publicUrl);
  const login = await browser.request('/hub/login?next=', { form: { username: user.name, password } });
  assert.equal(login.status, 200, login.hops.join(' -> '));
  const spawned = await browser.request('/hub/spawn');
  assert.ok(spawned.status < 500, `spawn: ${spawned.status} ${spawned.hops.join(' -> ')}`);

  // The route appears in the proxy once the server is up; then the OAuth dance runs through it.
  const deadline = Date.now() + 90_000;
  let status = 0;
  while (Date.now() < deadline) {
    const tree = await browser.request(`/user/${user.name}/tree`);
    if (tree.status === 200 && tree.url.startsWith(`/user/${user.name}/`)) {
      status = (await browser.request(`/user/${user.name}/api/status`)).status;
      if (status === 200) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.equal(status, 200, `/user/${user.name}/api/status through the proxy\n${hubLog.slice(-3000)}`);

  const tokenReply = await fetch(`${publicUrl}/hub/api/users/${user.name}/tokens`, {
    method: 'POST',
    body: JSON.stringify({ auth: { username: user.name, password }, note: 'bulwark proxy test', expires_in: 3600 }),
  });
  assert.equal(tokenReply.status, 201, await tokenReply.clone().text());
  const { token } = (await tokenReply.json()) as { token: string };
  const kernel = await openKernelChannel(publicUrl, `/user/${user.name}/`, token);
  try {
    const printed = await kernel.execute('import os, pwd; print(pwd.getpwuid(os.getuid()).pw_name)');
    assert.equal(printed.trim(), user.name, 'the kernel runs as the user, reached through bulwark proxy');
  } finally {
    await kernel.close();
  }
});
