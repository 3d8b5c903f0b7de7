import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseTarget, compareWithPins } from './environment-inspection.js';
import { channelIndexUrl, channelPageUrl } from './package-channel-link.js';
import { expandVenvDir } from './venv-dir.js';

describe('package channel binding', () => {
  it('approved means the whole approved index; any other name is a release-scoped index', () => {
    assert.equal(channelIndexUrl('http://127.0.0.1:8000/channel/', 'approved'), 'http://127.0.0.1:8000/channel/simple/');
    assert.equal(channelIndexUrl('http://127.0.0.1:8000/channel/', 'toolkit 1'), 'http://127.0.0.1:8000/channel/releases/toolkit%201/simple/');
    assert.equal(channelPageUrl('https://hub.example/channel/', 'r1'), 'https://hub.example/channel/releases/r1/');
  });

  it('venv_dir expands in the home directory and refuses to leave it', () => {
    const account = { name: 'alice', home: '/home/alice' };
    assert.equal(expandVenvDir('~/.bulwark/venvs/{release}', account, 'r1'), '/home/alice/.bulwark/venvs/r1');
    assert.equal(expandVenvDir('~/envs/{release}', account, '../../etc'), '/home/alice/envs/.._.._etc');
    assert.throws(() => expandVenvDir('/opt/venvs/{username}', account, 'r1'), /CONFIG_INVALID|not inside alice's home/);
    assert.throws(() => expandVenvDir('~/../bob/{release}', account, 'r1'), /not inside/);
  });

  it('the target is the one whose markers are the interpreter\'s', () => {
    const markers = { python_version: '3.11', sys_platform: 'linux', platform_machine: 'x86_64' };
    assert.equal(chooseTarget(['cp311-manylinux_x86_64', 'cp311-manylinux_s390x', 'cp312-manylinux_x86_64'], markers), 'cp311-manylinux_x86_64');
    assert.equal(chooseTarget(['cp312-manylinux_x86_64'], markers), undefined);
  });

  it('drift: extra, missing, other versions and modified files; installer tooling is not extra', () => {
    const pins = new Map([['rel-lib', '1.1'], ['rel_app', '1.0'], ['rel-gone', '2.0']]);
    const drift = compareWithPins(
      [
        { project: 'rel_lib', version: '1.1.0', modified: [] },
        { project: 'Rel-App', version: '1.1', modified: ['rel_app/__init__.py'] },
        { project: 'pip', version: '23.0.1', modified: [] },
        { project: 'requests', version: '2.31.0', modified: [] },
      ],
      pins,
    );
    assert.equal(drift.clean, false);
    assert.deepEqual(drift.differences, [
      'modified: rel-app 1.1 (1 file: rel_app/__init__.py)',
      'different: rel-app 1.1 (the release pins 1.0)',
      'extra: requests 2.31.0',
      'missing: rel-gone 2.0',
    ]);
    assert.equal(compareWithPins([{ project: 'rel-lib', version: '1.1', modified: [] }], new Map([['rel-lib', '1.1']])).clean, true);
  });
});
