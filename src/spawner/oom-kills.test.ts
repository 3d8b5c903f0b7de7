import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { memoryLimitReason, parseOomKills } from './oom-kills.js';

describe('parseOomKills', () => {
  it('reads the oom_kill counter of v1 memory.oom_control and v2 memory.events', () => {
    assert.equal(parseOomKills('oom_kill_disable 0\nunder_oom 0\noom_kill 3\n'), 3);
    assert.equal(parseOomKills('low 0\nhigh 0\nmax 12\noom 2\noom_kill 1\noom_group_kill 0\n'), 1);
  });

  it('is 0 for kernels without the counter and for unreadable files', () => {
    assert.equal(parseOomKills('oom_kill_disable 0\nunder_oom 0\n'), 0);
    assert.equal(parseOomKills(''), 0);
  });

  it('names the configured limit in the reason users see', () => {
    assert.equal(memoryLimitReason({ value: '512M', mechanism: 'cgroup-v1', cgroup: '/x' }), 'stopped: memory limit (512M) exceeded');
  });
});
