// Done-when of the vetting wiring, with Debian's real pip (fresh venv, isolated, hash-checked,
// wheels only): affected versions are not installable (index and pinned download), fixed ones
// install after approval, approve/reject/waive hold at both ends, Debian's wheels end vetted.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestChannel, type TestChannel } from '../../helpers/test-channel.js';
import { buildWheel } from '../../helpers/wheel-builder.js';
import { channelCli, uploadWheels } from './channel-cli.js';
import { DEBIAN_PYTHON, DEBIAN_WHEELS, isolatedEnv, makeVenv, pipInstall, requireTool, run } from './python-clients.js';

const OSV = fileURLToPath(new URL('../../../../shared/fixtures/osv/', import.meta.url));

describe('real pip against the vetted channel', () => {
  let channel: TestChannel;
  let venv: string;
  const temp = makeTempDir('bulwark-vet-pip-');
  const affected = buildWheel({ name: 'Jinja2', version: '2.11.2' });
  const fixed = buildWheel({ name: 'Jinja2', version: '2.11.3' });
  const cli = (...argv: string[]) => channelCli(channel, ['channel.policy.require_vetting=true'], ...argv);
  const pin = (wheel: { sha256: string }, version: string) => `jinja2==${version} --hash=sha256:${wheel.sha256}\n`;
  const pinnedUrl = (wheel: { filename: string; sha256: string }) => `jinja2 @ ${channel.url}files/jinja2/${wheel.filename} --hash=sha256:${wheel.sha256}\n`;
  const install = async (requirements: string) => {
    const dir = join(temp.path, `run-${Math.random().toString(36).slice(2)}`);
    mkdirSync(dir);
    return pipInstall(venv, channel.indexUrl, requirements, dir);
  };

  /** `pip download`: the same index and download path, and never "already satisfied" by the venv. */
  const fetchOnly = async (requirements: string) => {
    const dir = join(temp.path, `dl-${Math.random().toString(36).slice(2)}`);
    mkdirSync(dir);
    await writeFile(join(dir, 'requirements.txt'), requirements);
    return run(venv, ['-m', 'pip', 'download', '--isolated', '--no-cache-dir', '--no-deps', '--index-url', channel.indexUrl, '--require-hashes', '--only-binary', ':all:', '-d', join(dir, 'out'), '-r', join(dir, 'requirements.txt')], { env: isolatedEnv() });
  };

  before(async () => {
    for (const path of DEBIAN_WHEELS) requireTool(path, 'Debian wheel (python3-pip-whl, python3-setuptools-whl, python3-wheel-whl)');
    const making = makeVenv(DEBIAN_PYTHON, join(temp.path, 'venv'));
    channel = await startTestChannel({ 'channel.policy.require_vetting': true });
    venv = await making;
    for (const dir of ['pypa-advisory-database', 'malicious']) assert.equal((await cli('channel', 'advisories', 'import', `${OSV}${dir}`)).code, 0);
    const token = await channel.token(['channel:publish']);
    const uploads = await uploadWheels(channel, token, [affected, fixed]);
    assert.deepEqual(uploads.map((u) => u.body['state']), ['rejected', 'vetted']);
  });
  after(async () => {
    await channel?.close();
    temp.remove();
  });

  test('nothing installs before approval; the affected version never does; the fixed one does after approval', async () => {
    const early = await install(pin(fixed, '2.11.3'));
    assert.notEqual(early.code, 0, 'a vetted but unapproved file is not in the index');
    assert.equal((await cli('channel', 'approve', 'jinja2', '2.11.3')).code, 0);
    assert.equal((await cli('channel', 'approve', 'jinja2', '2.11.2')).code, 1, 'approve refuses the rejected file');
    const [byIndex, byUrl, good] = await Promise.all([install(pin(affected, '2.11.2')), install(pinnedUrl(affected)), install(pin(fixed, '2.11.3'))]);
    assert.notEqual(byIndex.code, 0);
    assert.match(byIndex.stderr, /No matching distribution found for jinja2==2\.11\.2/);
    assert.notEqual(byUrl.code, 0);
    assert.match(byUrl.stderr + byUrl.stdout, /404/);
    assert.equal(good.code, 0, good.stdout + good.stderr);
    const version = await run(venv, ['-c', 'import jinja2; print(jinja2.__version__)'], { env: isolatedEnv() });
    assert.equal(version.stdout.trim(), '2.11.3');
  });

  test('a waiver lets the approver in; a rejection takes it out again, at the index and the download', async () => {
    assert.equal((await cli('channel', 'approve', 'jinja2', '2.11.2', '--waive', 'PYSEC-2021-66', '--reason', 'urlize unused')).code, 0);
    const waived = await install(pinnedUrl(affected));
    assert.equal(waived.code, 0, waived.stdout + waived.stderr);
    assert.equal((await cli('channel', 'reject', 'jinja2', '2.11.2', '--reason', 'withdrawn')).code, 0);
    const [byIndex, byUrl] = await Promise.all([fetchOnly(pin(affected, '2.11.2')), fetchOnly(pinnedUrl(affected))]);
    assert.notEqual(byIndex.code, 0);
    assert.match(byIndex.stderr, /No matching distribution found/);
    assert.notEqual(byUrl.code, 0);
    assert.match(byUrl.stderr + byUrl.stdout, /404/);
  });

  test('every real Debian wheel ends vetted, and pip fetches each after approval', async () => {
    const uploaded = await cli('channel', 'upload', ...DEBIAN_WHEELS, '--json');
    assert.equal(uploaded.code, 0, uploaded.stderr);
    assert.deepEqual((JSON.parse(uploaded.stdout) as Array<{ state: string }>).map((r) => r.state), DEBIAN_WHEELS.map(() => 'vetted'));
    for (const path of DEBIAN_WHEELS) {
      const [name, version] = basename(path).split('-');
      assert.equal((await cli('channel', 'approve', name ?? '', version ?? '')).code, 0);
    }
    const pins = DEBIAN_WHEELS.map((path) => {
      const [name, version] = basename(path).split('-');
      return `${name}==${version} --hash=sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
    });
    const file = join(temp.path, 'debian.txt');
    const dest = join(temp.path, 'downloaded');
    await writeFile(file, `${pins.join('\n')}\n`);
    // pip download: the venv already has pip and setuptools, which `install` would skip.
    const fetched = await run(venv, ['-m', 'pip', 'download', '--isolated', '--no-cache-dir', '--no-deps', '--index-url', channel.indexUrl, '--require-hashes', '--only-binary', ':all:', '-d', dest, '-r', file], { env: isolatedEnv() });
    assert.equal(fetched.code, 0, fetched.stdout + fetched.stderr);
    for (const path of DEBIAN_WHEELS) assert.deepEqual(readFileSync(join(dest, basename(path))), readFileSync(path));
  });
});
