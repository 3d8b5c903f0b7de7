import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readlink } from 'node:fs/promises';
import { request } from 'node:http';
import { createLocalProcessSpawner } from '../../../src/spawner/local-process-spawner.js';
import type { ServerState } from '../../../src/spawner/spawner.js';
import { createOsUser, pidsOfUid, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { recordingLogger } from './recording-logger.js';
import { testSpawnerConfig } from './spawner-fixture.js';
import { contractEnvironment, startStandInHub, type StandInHub } from './stand-in-hub.js';

const secretToken = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';

function get(url: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    })
      .on('error', reject)
      .end();
  });
}

function postJson(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

function statusField(status: string, field: string): string {
  return new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(status)?.[1]?.trim() ?? '';
}

describe('local process spawner with the real jupyterhub-singleuser', { timeout: 60_000 }, () => {
  let hub: StandInHub;
  let user: OsUser;

  before(async () => {
    hub = await startStandInHub();
    user = await createOsUser({ supplementaryGroup: true });
  });
  after(async () => {
    await removeOsUser(user);
    await hub.close();
  });

  it('runs the server as the user, with their groups, home and a clean environment, and stops it', async () => {
    const logger = recordingLogger();
    const spawner = createLocalProcessSpawner(testSpawnerConfig(), {
      logger,
      hubProcessEnv: { ...process.env, BULWARK_HUB__SECRET: 'hub-only-secret', PATH: '/root/bin:/usr/sbin:/usr/bin', LANG: 'C.UTF-8' },
    });
    const progress: string[] = [];
    const state = await spawner.start({
      username: user.name,
      serverName: '',
      servicePrefix: `/user/${user.name}/`,
      hubEnvironment: contractEnvironment(hub, user.name, secretToken),
      onProgress: (event) => progress.push(event.message),
    });
    try {
      assert.match(state.url, new RegExp(`^http://127\\.0\\.0\\.1:\\d+/user/${user.name}/$`));
      assert.equal(state.uid, user.uid);
      assert.equal(state.gid, user.gid);
      assert.ok(progress.includes('Spawning server...'), progress.join(' | '));
      assert.ok(progress.at(-1)?.startsWith('Server ready at'));

      const status = await readFile(`/proc/${state.pid}/status`, 'utf8');
      assert.deepEqual(statusField(status, 'Uid').split(/\s+/).map(Number), [user.uid, user.uid, user.uid, user.uid]);
      assert.deepEqual(statusField(status, 'Gid').split(/\s+/).map(Number), [user.gid, user.gid, user.gid, user.gid]);
      const groups = statusField(status, 'Groups').split(/\s+/).map(Number).sort();
      assert.deepEqual(groups, [...user.groups].sort());
      assert.ok(user.supplementaryGroup !== null && groups.includes(user.supplementaryGroup.gid));
      assert.equal(statusField(status, 'CapEff'), '0000000000000000');

      assert.equal(await readlink(`/proc/${state.pid}/cwd`), user.home);
      const environ = (await readFile(`/proc/${state.pid}/environ`, 'utf8')).split('\0').filter(Boolean);
      const env = new Map(environ.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
      assert.equal(env.get('PATH'), '/usr/local/bin:/usr/bin:/bin');
      assert.equal(env.get('HOME'), user.home);
      assert.equal(env.get('USER'), user.name);
      assert.equal(env.get('SHELL'), '/bin/bash');
      assert.equal(env.get('LANG'), 'C.UTF-8');
      assert.equal(env.get('JUPYTERHUB_SERVICE_URL'), state.url);
      assert.equal(env.get('JUPYTERHUB_API_TOKEN'), secretToken);
      assert.equal(env.has('BULWARK_HUB__SECRET'), false);
      assert.equal(environ.some((entry) => entry.includes('hub-only-secret') || entry.includes('/root')), false);

      const api = await get(`${state.url}api`);
      assert.equal(api.status, 200);
      assert.match(api.body, /"version"/);
      assert.equal(api.headers['x-jupyterhub-version'], '3.0.0');
      assert.ok(hub.requests.includes('GET /hub/api'), hub.requests.join(', '));
      assert.equal(await spawner.poll(state), null);
      assert.ok(logger.records.some((r) => r.bindings.user === user.name && r.msg.includes('NotebookApp')), 'server output is logged');
    } finally {
      await spawner.stop(state);
    }
    assert.deepEqual(await pidsOfUid(user.uid), []);
    assert.notEqual(await spawner.poll(state), null);
    await spawner.stop(state); // idempotent
  });

  it('reports a server killed from outside through onExit and poll', async () => {
    const spawner = createLocalProcessSpawner(testSpawnerConfig(), { logger: recordingLogger() });
    const exits: { state: ServerState; code: number | null; signal: string | null }[] = [];
    const exited = new Promise<void>((resolve) =>
      spawner.onExit((state, code, signal) => {
        exits.push({ state, code, signal });
        resolve();
      }),
    );
    const state = await spawner.start({
      username: user.name,
      serverName: '',
      servicePrefix: `/user/${user.name}/`,
      hubEnvironment: contractEnvironment(hub, user.name, secretToken),
    });
    try {
      process.kill(state.pid, 'SIGKILL');
      await exited;
      assert.equal(exits.length, 1);
      assert.equal(exits[0]?.state.pid, state.pid);
      assert.equal(exits[0]?.signal, 'SIGKILL');
      assert.equal(await spawner.poll(state), 128 + 9);
    } finally {
      await spawner.stop(state);
    }
  });

  it('lets a second spawner (a restarted hub) poll and stop a server it did not start', async () => {
    const first = createLocalProcessSpawner(testSpawnerConfig(), { logger: recordingLogger() });
    const state = await first.start({
      username: user.name,
      serverName: '',
      servicePrefix: `/user/${user.name}/`,
      hubEnvironment: contractEnvironment(hub, user.name, secretToken),
    });
    const second = createLocalProcessSpawner(testSpawnerConfig(), { logger: recordingLogger() });
    try {
      assert.equal(await second.poll(state), null);
      // A pid that is not a server of this uid reads as stopped, never as running.
      assert.equal(await second.poll({ ...state, uid: user.uid + 1 }), 0);
      await second.stop(state);
      assert.equal(await second.poll(state), 0);
      assert.deepEqual(await pidsOfUid(user.uid), []);
    } finally {
      await first.stop(state);
    }
  });

  it('kills a running kernel too when the server has to be killed', async () => {
    const userToken = 'b'.repeat(32);
    hub.userTokens.set(userToken, user.name);
    const logger = recordingLogger();
    const spawner = createLocalProcessSpawner(testSpawnerConfig({ interrupt_timeout: 0.5, term_timeout: 0.5 }), { logger });
    const state = await spawner.start({
      username: user.name,
      serverName: '',
      servicePrefix: `/user/${user.name}/`,
      hubEnvironment: contractEnvironment(hub, user.name, secretToken),
    });
    try {
      const kernel = await postJson(`${state.url}api/kernels`, userToken);
      assert.equal(kernel.status, 201, kernel.body);
      assert.ok((await pidsOfUid(user.uid)).length >= 2, 'the kernel runs as the user');
      // A frozen server cannot shut its kernels down, so stop must reach SIGKILL and sweep the kernel.
      process.kill(state.pid, 'SIGSTOP');
    } finally {
      await spawner.stop(state);
    }
    assert.deepEqual(await pidsOfUid(user.uid), []);
    assert.ok(logger.records.some((r) => r.msg === 'terminating processes the server left behind'));
  });
});
