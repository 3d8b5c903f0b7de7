import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { findCgroupDirs } from '../../../src/spawner/cgroup-paths.js';
import { buildLaunchPlan } from '../../../src/spawner/launch-plan.js';
import { launchServer } from '../../../src/spawner/launched-server.js';
import { createLocalProcessSpawner } from '../../../src/spawner/local-process-spawner.js';
import { prepareMemoryLimit } from '../../../src/spawner/memory-limiter.js';
import { readProcess } from '../../../src/spawner/process-table.js';
import { createOsUser, pidsOfUid, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { recordingLogger } from './recording-logger.js';
import { spawnerError, testSpawnerConfig } from './spawner-fixture.js';
import { contractEnvironment, startStandInHub, type StandInHub } from './stand-in-hub.js';

const cgroupDirs = findCgroupDirs(readFileSync('/proc/self/cgroup', 'utf8'), readFileSync('/proc/self/mountinfo', 'utf8'));
const noCgroupV1 = cgroupDirs.v1Memory === null ? 'this host has no cgroup v1 memory hierarchy' : false;
/** Allocates 300 MiB and touches it, so both RSS (cgroup) and address space (prlimit) exceed 64 MiB. */
const allocate = 'import time; b = bytearray(300 * 1024 * 1024); print("allocated", flush=True); time.sleep(100)';

describe('spawner memory limit', { timeout: 60_000 }, () => {
  let user: OsUser;
  let hub: StandInHub;
  before(async () => {
    user = await createOsUser();
    hub = await startStandInHub();
  });
  after(async () => {
    await removeOsUser(user);
    await hub.close();
  });

  it('puts the server in a memory cgroup that the kernel enforces, and removes it', { skip: noCgroupV1 }, async () => {
    const spawner = createLocalProcessSpawner(testSpawnerConfig({ cmd: ['/usr/bin/python3', '-c', allocate], mem_limit: '64M' }), {
      logger: recordingLogger(),
    });
    await assert.rejects(
      spawner.start({ username: user.name, serverName: '', servicePrefix: `/user/${user.name}/`, hubEnvironment: {} }),
      spawnerError('SPAWNER_PROCESS_EXITED', 'killed by SIGKILL'),
    );
    assert.deepEqual(await pidsOfUid(user.uid), []);
    assert.deepEqual(leftoverCgroups(user.name), []);
  });

  it('runs the real server inside its cgroup and removes the cgroup at stop', { skip: noCgroupV1 }, async () => {
    const spawner = createLocalProcessSpawner(testSpawnerConfig({ mem_limit: '512M' }), { logger: recordingLogger() });
    const state = await spawner.start({
      username: user.name,
      serverName: '',
      servicePrefix: `/user/${user.name}/`,
      hubEnvironment: contractEnvironment(hub, user.name, 'f'.repeat(32)),
    });
    let cgroupDir: string | undefined;
    try {
      const membership = await readFile(`/proc/${state.pid}/cgroup`, 'utf8');
      const path = /^\d+:memory:(.*)$/m.exec(membership)?.[1] ?? '';
      assert.match(path, new RegExp(`/bulwark-${user.name}-[0-9a-f]+$`));
      cgroupDir = `${cgroupDirs.v1Memory}${path.slice(path.lastIndexOf('/'))}`;
      assert.equal((await readFile(`${cgroupDir}/memory.limit_in_bytes`, 'utf8')).trim(), String(512 * 1024 * 1024));
      const environ = await readFile(`/proc/${state.pid}/environ`, 'utf8');
      assert.ok(environ.split('\0').includes(`MEM_LIMIT=${512 * 1024 * 1024}`));
    } finally {
      await spawner.stop(state);
    }
    assert.ok(cgroupDir !== undefined);
    assert.equal(existsSync(cgroupDir), false);
    assert.deepEqual(leftoverCgroups(user.name), []);
    assert.deepEqual(await pidsOfUid(user.uid), []);
  });

  it('removes the cgroup of a server it did not start (after a hub restart) at stop', { skip: noCgroupV1 }, async () => {
    const logger = recordingLogger();
    const limit = await prepareMemoryLimit(64 * 1024 * 1024, user.name, logger, ['cgroup-v1']);
    const plan = buildLaunchPlan({
      account: { name: user.name, gid: user.gid },
      commandPath: '/bin/sleep',
      commandArgs: ['1000'],
      memory: limit.enforcement,
    });
    const server = await launchServer(plan, { cwd: user.home, env: { PATH: '/usr/bin:/bin' }, logger });
    try {
      // Wait until the wrapper has exec'd into the user's process (the state names the user's uid).
      for (let i = 0; i < 100 && (await readProcess(server.pid))?.uid !== user.uid; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const processStartTime = (await readProcess(server.pid))?.startTime;
      const state = { pid: server.pid, port: 1, ip: '127.0.0.1', uid: user.uid, gid: user.gid, startedAt: '', url: '', processStartTime };
      const restartedHub = createLocalProcessSpawner(testSpawnerConfig(), { logger });
      assert.equal(await restartedHub.poll(state), null);
      await restartedHub.stop(state);
      assert.equal(limit.cgroupDir !== null && existsSync(limit.cgroupDir), false);
      assert.deepEqual(await pidsOfUid(user.uid), []);
    } finally {
      await limit.release();
    }
  });

  it('falls back to prlimit --as, which turns the allocation into a MemoryError', async () => {
    const logger = recordingLogger();
    const limit = await prepareMemoryLimit(64 * 1024 * 1024, user.name, logger, ['prlimit']);
    assert.equal(limit.mechanism, 'prlimit');
    const plan = buildLaunchPlan({
      account: { name: user.name, gid: user.gid },
      commandPath: '/usr/bin/python3',
      commandArgs: ['-c', allocate],
      memory: limit.enforcement,
    });
    const server = await launchServer(plan, { cwd: user.home, env: { PATH: '/usr/bin:/bin' }, logger });
    const status = await server.exited;
    await server.outputClosed(1000);
    assert.equal(status.code, 1);
    assert.match(server.output.text(), /MemoryError/);
  });
});

/** Cgroups the spawner made for `name` that still exist. */
function leftoverCgroups(name: string): string[] {
  const dir = cgroupDirs.v1Memory;
  return dir === null ? [] : readdirSync(dir).filter((entry) => entry.startsWith(`bulwark-${name}-`));
}
