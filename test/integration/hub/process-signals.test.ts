// `bulwark hub` as a real process: it answers on its listener, SIGTERM stops it with exit code 0,
// and spawner.cleanup_servers decides whether users' servers stop with it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createOsUser, pidsOfUid, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { findFreePort } from '../../helpers/ports.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const bin = fileURLToPath(new URL('../../../bin/bulwark', import.meta.url));
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function cli(args: string[], cwd: string, input = ''): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout: stdout.trim() }));
    child.stdin.end(input);
  });
}

async function startHubProcess(cwd: string, port: number, cleanupServers: boolean): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'hub', '--bind-url', `http://127.0.0.1:${port}`, '--set', `spawner.cleanup_servers=${cleanupServers}`], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Bulwark hub running at')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`hub exited early with ${code}`)));
  });
  await ready;
  return child;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));
}

async function spawnServer(port: number, user: OsUser, token: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/hub/api/users/${user.name}/server`, { method: 'POST', headers: { authorization: `token ${token}` } });
  assert.equal(response.status, 201, await response.text());
}

test('SIGTERM stops the hub cleanly and, with cleanup_servers, the users\' servers too', async () => {
  const dir = makeTempDir('bulwark-signals-');
  cleanups.push(() => dir.remove());
  const user = await createOsUser();
  cleanups.push(() => removeOsUser(user));
  assert.equal((await cli(['user', 'add', user.name, '--no-password'], dir.path)).code, 0);
  const token = (await cli(['token', 'create', user.name], dir.path)).stdout;

  const port = await findFreePort();
  const hub = await startHubProcess(dir.path, port, true);
  await spawnServer(port, user, token);
  assert.ok((await pidsOfUid(user.uid)).length > 0, 'the server runs as the user');
  hub.kill('SIGTERM');
  assert.equal(await exitOf(hub), 0);
  assert.deepEqual(await pidsOfUid(user.uid), [], 'servers stopped with the hub');
  await assert.rejects(fetch(`http://127.0.0.1:${port}/hub/api`), 'listener closed');
});

test('with cleanup_servers false the server outlives the hub and the next hub re-adopts it', async () => {
  const dir = makeTempDir('bulwark-signals-');
  cleanups.push(() => dir.remove());
  const user = await createOsUser();
  cleanups.push(() => removeOsUser(user));
  await cli(['user', 'add', user.name, '--no-password'], dir.path);
  const token = (await cli(['token', 'create', user.name], dir.path)).stdout;

  const port = await findFreePort();
  const first = await startHubProcess(dir.path, port, false);
  await spawnServer(port, user, token);
  const pids = await pidsOfUid(user.uid);
  first.kill('SIGTERM');
  assert.equal(await exitOf(first), 0);
  assert.deepEqual(await pidsOfUid(user.uid), pids, 'the server is still running');

  const second = await startHubProcess(dir.path, port, true);
  const model = (await (await fetch(`http://127.0.0.1:${port}/hub/api/users/${user.name}`, { headers: { authorization: `token ${token}` } })).json()) as { server: string | null };
  assert.equal(model.server, `/user/${user.name}/`, 'the restarted hub re-adopted the running server');
  const status = await fetch(`http://127.0.0.1:${port}/user/${user.name}/api/status`, { headers: { authorization: `token ${token}` } });
  assert.equal(status.status, 200, 'the route is back in the proxy');
  second.kill('SIGTERM');
  assert.equal(await exitOf(second), 0);
  assert.deepEqual(await pidsOfUid(user.uid), []);
});
