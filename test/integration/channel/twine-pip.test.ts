import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestChannel, type TestChannel } from '../../helpers/test-channel.js';
import { buildWheel } from '../../helpers/wheel-builder.js';
import { DEBIAN_PYTHON, DEBIAN_WHEELS, makeVenv, pipInstall, pipVersion, requireTool, run, twineUpload } from './python-clients.js';

/** Debian's Python plus newer pips from pyenv when the machine has them (each in its own venv). */
const PYTHONS = [DEBIAN_PYTHON, '/root/.pyenv/versions/3.12.1/bin/python3', '/root/.pyenv/versions/3.13.0/bin/python3'].filter((path, i) => i === 0 || existsSync(path));

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('real twine uploads, real pip installs', () => {
  let channel: TestChannel;
  const temp = makeTempDir('bulwark-clients-');
  const built = [
    buildWheel({ name: 'demo-lib', version: '1.0', requiresPython: '>=3.8' }),
    buildWheel({ name: 'demo-lib', version: '1.1', requiresPython: '>=3.8' }),
    buildWheel({ name: 'Demo.App', version: '1.0', requiresDist: ['demo-lib>=1.1', 'wheel>=0.38'], requiresPython: '>=3.8' }),
  ];
  const builtPaths = built.map((wheel) => {
    const path = join(temp.path, wheel.filename);
    writeFileSync(path, wheel.bytes);
    return path;
  });

  // One fresh venv per pip version, made in parallel; the refusal tests reuse Debian's (a failed
  // install changes nothing in it).
  let venvs: Array<{ python: string; venvPython: string; dir: string }> = [];

  before(async () => {
    for (const path of DEBIAN_WHEELS) requireTool(path, 'Debian wheel (python3-pip-whl, python3-setuptools-whl, python3-wheel-whl)');
    const making = Promise.all(
      PYTHONS.map(async (python, i) => {
        const dir = join(temp.path, `venv-${i}`);
        mkdirSync(dir);
        return { python, dir, venvPython: await makeVenv(python, join(dir, 'env')) };
      }),
    );
    channel = await startTestChannel();
    venvs = await making;
  });
  after(async () => {
    await channel?.close();
    temp.remove();
  });

  test('twine uploads Debian wheels and built wheels; --skip-existing accepts duplicates', async () => {
    const token = await channel.token(['channel:publish']);
    const first = await twineUpload(channel.url, token, [...DEBIAN_WHEELS, ...builtPaths]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const again = await twineUpload(channel.url, token, [builtPaths[0] as string]);
    assert.notEqual(again.code, 0, 'a duplicate without --skip-existing must fail');
    assert.match(again.stdout + again.stderr, /409|already exists/i);
    const skipped = await twineUpload(channel.url, token, [...DEBIAN_WHEELS, ...builtPaths], ['--skip-existing']);
    assert.equal(skipped.code, 0, skipped.stdout + skipped.stderr);
    assert.match(skipped.stdout + skipped.stderr, /Skipping/);
    const index = await (await fetch(channel.indexUrl)).text();
    for (const name of ['pip', 'setuptools', 'wheel', 'demo-lib', 'demo-app']) assert.match(index, new RegExp(`>${name}<`));
  });

  test(`pip (${PYTHONS.length} versions) installs hash-pinned wheels into fresh venvs`, async () => {
    const pins = [
      `demo-app==1.0 --hash=sha256:${built[2]?.sha256}`,
      `demo-lib==1.1 --hash=sha256:${built[1]?.sha256}`,
      `wheel==0.38.4 --hash=sha256:${sha256(DEBIAN_WHEELS[2] as string)}`,
    ].join('\n');
    const outcomes = await Promise.all(
      venvs.map(async ({ python, dir, venvPython }) => {
        const version = await pipVersion(venvPython);
        const install = await pipInstall(venvPython, channel.indexUrl, `${pins}\n`, dir);
        const check = await run(venvPython, ['-c', 'import demo_app, demo_lib, wheel; print(demo_app.__version__, demo_lib.__version__, wheel.__version__)']);
        return { python, version, install, check };
      }),
    );
    for (const { python, version, install, check } of outcomes) {
      assert.equal(install.code, 0, `pip ${version} (${python}) failed:\n${install.stdout}\n${install.stderr}`);
      assert.equal(check.stdout.trim(), '1.0 1.1 0.38.4', `pip ${version}: ${check.stderr}`);
      // The index is the only source: nothing came from the machine's extra indexes or find-links.
      assert.doesNotMatch(install.stdout, /\/opt\/(wheels|pypi)/, `pip ${version} looked outside the channel`);
    }
    assert.ok(outcomes.some((o) => o.version.startsWith('23.0')), `Debian's pip must be among them: ${outcomes.map((o) => o.version).join(', ')}`);
  });

  test('pip refuses a wheel whose hash does not match the pin', async () => {
    const { dir, venvPython } = venvs[0] as (typeof venvs)[number];
    const wrong = '0'.repeat(64);
    const install = await pipInstall(venvPython, channel.indexUrl, `demo-lib==1.0 --hash=sha256:${wrong}\n`, dir);
    assert.notEqual(install.code, 0);
    assert.match(install.stderr, /HASHES|do not match/i);
  });

  test('an unknown project is a 404 and pip does not look elsewhere', async () => {
    const { dir, venvPython } = venvs[0] as (typeof venvs)[number];
    // requests exists on the machine's configured extra indexes; the channel must not fall back.
    const install = await pipInstall(venvPython, channel.indexUrl, `requests==2.28.1 --hash=sha256:${'1'.repeat(64)}\n`, dir);
    assert.notEqual(install.code, 0);
    assert.match(install.stderr, /No matching distribution found for requests/);
    assert.equal((await fetch(`${channel.indexUrl}requests/`)).status, 404);
    assert.equal(basename(builtPaths[0] as string), built[0]?.filename);
  });
});
