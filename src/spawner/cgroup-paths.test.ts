import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findCgroupDirs } from './cgroup-paths.js';

const hybridMountinfo = [
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

describe('findCgroupDirs', () => {
  it('finds the v1 memory and v2 directories of a hybrid layout', () => {
    const cgroup = '9:name=systemd:/\n4:memory:/process_api/abc\n1:cpu:/\n0::/\n';
    assert.deepEqual(findCgroupDirs(cgroup, hybridMountinfo), {
      v1Memory: '/sys/fs/cgroup/memory/process_api/abc',
      v2: '/sys/fs/cgroup/unified',
      v1Cpu: '/sys/fs/cgroup/cpu',
    });
  });

  it('handles a pure v2 host with optional mount fields', () => {
    const mountinfo = '30 23 0:26 / /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate';
    assert.deepEqual(findCgroupDirs('0::/system.slice/bulwark.service\n', mountinfo), {
      v1Memory: null,
      v2: '/sys/fs/cgroup/system.slice/bulwark.service',
    });
  });

  it('strips a mount root and refuses a cgroup outside it', () => {
    const mountinfo = '35 31 0:32 /docker/x /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory';
    assert.equal(findCgroupDirs('4:memory:/docker/x/sub\n', mountinfo).v1Memory, '/sys/fs/cgroup/memory/sub');
    assert.equal(findCgroupDirs('4:memory:/docker/x\n', mountinfo).v1Memory, '/sys/fs/cgroup/memory');
    assert.equal(findCgroupDirs('4:memory:/other\n', mountinfo).v1Memory, null);
  });

  it('reports nothing without cgroup mounts', () => {
    assert.deepEqual(findCgroupDirs('0::/\n', ''), { v1Memory: null, v2: null });
  });

  it('finds the v1 cpu and pids hierarchies when the host has them', () => {
    const mountinfo = `${hybridMountinfo}\n39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids`;
    const dirs = findCgroupDirs('8:pids:/a\n1:cpu:/b\n4:memory:/c\n0::/\n', mountinfo);
    assert.equal(dirs.v1Pids, '/sys/fs/cgroup/pids/a');
    assert.equal(dirs.v1Cpu, '/sys/fs/cgroup/cpu/b');
  });
});
