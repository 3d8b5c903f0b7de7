// spawner.cpu_limit and spawner.pids_limit: a cgroup per controller that the kernel enforces (v1 on
// this host), the mechanism recorded in the server state, everything removed at stop.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { findCgroupDirs } from '../../../src/spawner/cgroup-paths.js';
import { createLocalProcessSpawner } from '../../../src/spawner/local-process-spawner.js';
import { createOsUser, pidsOfUid, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { standInServerCmd } from '../operations/stand-in-server.js';
import { recordingLogger } from './recording-logger.js';
import { testSpawnerConfig } from './spawner-fixture.js';

const dirs = findCgroupDirs(readFileSync('/proc/self/cgroup', 'utf8'), readFileSync('/proc/self/mountinfo', 'utf8'));
const missing = !dirs.v1Cpu || !dirs.v1Pids ? 'this host has no cgroup v1 cpu and pids hierarchies (a v2-only host is covered by the same code path with cpu.max / pids.max)' : false;

describe('cpu and pids limits', { timeout: 30_000 }, () => {
  let user: OsUser;
  before(async () => {
    user = await createOsUser();
  });
  after(() => removeOsUser(user));

  it('puts the server into cpu and pids cgroups with the configured quota, and removes them at stop', { skip: missing }, async () => {
    const spawner = createLocalProcessSpawner(testSpawnerConfig({ cmd: standInServerCmd, cpu_limit: 0.5, pids_limit: 64 }), { logger: recordingLogger() });
    const state = await spawner.start({ username: user.name, serverName: '', servicePrefix: `/user/${user.name}/`, hubEnvironment: {} });
    const { cpu, pids } = state.limits ?? {};
    try {
      assert.equal(cpu?.mechanism, 'cgroup-v1');
      assert.equal(pids?.mechanism, 'cgroup-v1');
      const membership = readFileSync(`/proc/${state.pid}/cgroup`, 'utf8');
      assert.match(membership, new RegExp(`:cpu:.*/bulwark-${user.name}-[0-9a-f]+$`, 'm'));
      assert.match(membership, new RegExp(`:pids:.*/bulwark-${user.name}-[0-9a-f]+$`, 'm'));
      assert.equal(readFileSync(`${cpu?.cgroup}/cpu.cfs_quota_us`, 'utf8').trim(), '50000');
      assert.equal(readFileSync(`${pids?.cgroup}/pids.max`, 'utf8').trim(), '64');
      assert.ok(Number(readFileSync(`${pids?.cgroup}/pids.current`, 'utf8')) >= 1, 'the server is counted in its pids cgroup');
    } finally {
      await spawner.stop(state);
    }
    assert.equal(existsSync(cpu?.cgroup ?? '/nonexistent'), false);
    assert.equal(existsSync(pids?.cgroup ?? '/nonexistent'), false);
    assert.deepEqual(await pidsOfUid(user.uid), []);
  });
});
