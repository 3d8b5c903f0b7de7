import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildLaunchPlan } from './launch-plan.js';

const account = { name: 'alice', gid: 1002 };
const setpriv = ['/usr/bin/setpriv', '--reuid', 'alice', '--regid', '1002', '--init-groups', '--inh-caps=-all', '--ambient-caps=-all', '--'];

describe('buildLaunchPlan', () => {
  it('runs the command through setpriv with the account name', () => {
    const plan = buildLaunchPlan({ account, commandPath: '/usr/bin/jupyterhub-singleuser', commandArgs: ['--debug'], memory: null });
    assert.deepEqual([plan.file, ...plan.args], [...setpriv, '/usr/bin/jupyterhub-singleuser', '--debug']);
  });

  it('puts prlimit in front for an address-space limit', () => {
    const plan = buildLaunchPlan({ account, commandPath: '/bin/x', commandArgs: [], memory: { kind: 'prlimit', bytes: 1024 } });
    assert.deepEqual([plan.file, ...plan.args], ['/usr/bin/prlimit', '--as=1024', '--', ...setpriv, '/bin/x']);
  });

  it('joins the cgroup as root before dropping privileges, without splicing paths into the script', () => {
    const procs = "/sys/fs/cgroup/memory/we'ird $(x)/cgroup.procs";
    const plan = buildLaunchPlan({ account, commandPath: '/bin/x', commandArgs: ['a b'], memory: { kind: 'cgroup', procsFile: procs } });
    assert.equal(plan.file, '/bin/sh');
    assert.deepEqual(plan.args, ['-c', 'echo $$ > "$0" && exec "$@"', procs, ...setpriv, '/bin/x', 'a b']);
  });

  it('joins several cgroups, then applies prlimit options, then switches identity', () => {
    const plan = buildLaunchPlan({
      account,
      commandPath: '/bin/x',
      commandArgs: [],
      memory: { kind: 'cgroup', procsFile: '/m/cgroup.procs' },
      cgroupProcsFiles: ['/c/cgroup.procs'],
      prlimitArgs: ['--nproc=64'],
    });
    assert.equal(plan.file, '/bin/sh');
    assert.deepEqual(plan.args.slice(2), ['bulwark-limits', '/m/cgroup.procs', '/c/cgroup.procs', '--', '/usr/bin/prlimit', '--nproc=64', '--', ...setpriv, '/bin/x']);
  });
});
