import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import { parseOsvRecord } from '../../../src/channel/advisories/parse-osv-record.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestChannel, type TestChannel } from '../../helpers/test-channel.js';
import { buildWheel } from '../../helpers/wheel-builder.js';
import { DEBIAN_PYTHON, isolatedEnv, makeVenv, run } from '../channel/python-clients.js';
import { bulwark } from './release-cli.js';
import { loadCycloneDx } from './cyclonedx-schema.js';

const X86 = 'cp311-manylinux_x86_64'; // Debian 12's python3 on this machine
const S390X = 'cp311-manylinux_s390x';

describe('channel releases: closed sets, published documents, real pip', () => {
  const temp = makeTempDir('bulwark-releases-');
  let channel: TestChannel;
  let venvPython = '';
  const cli = (...argv: string[]) => bulwark(channel, temp.path, ...argv);
  const get = (path: string) => fetch(`${channel.url}${path}`);
  const wheels = [
    buildWheel({ name: 'rel-app', version: '1.0', requiresDist: ['rel-lib>=1.1,<2', 'rel-fancy; extra == "fancy"', 'rel-linux; sys_platform == "linux"', 'rel-win; sys_platform == "win32"'] }),
    buildWheel({ name: 'rel-lib', version: '1.0' }),
    buildWheel({ name: 'rel-lib', version: '1.1' }),
    buildWheel({ name: 'rel-lib', version: '2.0' }),
    buildWheel({ name: 'rel-fancy', version: '0.1' }),
    buildWheel({ name: 'rel-linux', version: '1.0' }),
    buildWheel({ name: 'rel-decoy', version: '1.0' }),
    buildWheel({ name: 'rel-base', version: '1.0', requiresDist: ['rel-zhelper; platform_machine == "s390x"'] }),
    buildWheel({ name: 'rel-zhelper', version: '1.0' }),
    buildWheel({ name: 'quartz-shell', version: '1.0', requiresDist: ['basalt-core<2'] }),
    buildWheel({ name: 'basalt-core', version: '1.0' }),
    buildWheel({ name: 'basalt-core', version: '2.0' }),
  ];
  const approved = ['rel-app', 'rel-lib', 'rel-fancy', 'rel-linux', 'rel-decoy', 'rel-base', 'quartz-shell', 'basalt-core']; // not rel-zhelper

  before(async () => {
    const making = makeVenv(DEBIAN_PYTHON, join(temp.path, 'venv'));
    channel = await startTestChannel({ 'channel.policy.require_vetting': true });
    const house = join(temp.path, 'wheelhouse');
    mkdirSync(house);
    for (const wheel of wheels) writeFileSync(join(house, wheel.filename), wheel.bytes);
    const ingest = await cli('channel', 'ingest', '--wheelhouse', house);
    assert.equal(ingest.code, 0, ingest.stdout + ingest.stderr);
    for (const name of approved) {
      const approve = await cli('channel', 'approve', name);
      assert.equal(approve.code, 0, approve.stdout + approve.stderr);
    }
    writeFileSync(join(temp.path, 'top.txt'), '# the toolkit\nrel-app[fancy]\n');
    venvPython = await making;
  });
  after(async () => {
    await channel?.close();
    temp.remove();
  });

  test('create → check → publish; pip installs the requirements file from the release index alone, without --no-deps', async () => {
    const created = await cli('channel', 'release', 'create', 'r1', '--requirements', 'top.txt', '--target', X86, '--target', S390X, '--json');
    assert.equal(created.code, 0, created.stdout + created.stderr);
    const pins = (JSON.parse(created.stdout) as { pins: { target: string; project: string; version: string }[] }).pins;
    assert.deepEqual(pins.filter((p) => p.target === X86).map((p) => `${p.project}==${p.version}`).sort(), ['rel-app==1.0', 'rel-fancy==0.1', 'rel-lib==1.1', 'rel-linux==1.0']);

    const check = await cli('channel', 'release', 'check', 'r1');
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(check.stdout, new RegExp(`${X86}: closed — 4 pin\\(s\\)`));
    assert.match(check.stdout, /rel-app 1\.0 → rel-lib<2,>=1\.1 ⇒ rel-lib 1\.1/);

    const draftIndex = await get('releases/r1/simple/');
    assert.equal(draftIndex.status, 404, 'a draft has no index');
    const published = await cli('channel', 'release', 'publish', 'r1', '--base-url', channel.url);
    assert.equal(published.code, 0, published.stdout + published.stderr);

    const requirements = await (await get(`releases/r1/requirements-${X86}.txt`)).text();
    const lines = requirements.split('\n');
    assert.ok(lines.includes(`--index-url ${channel.url}releases/r1/simple/`));
    assert.ok(lines.includes('--require-hashes') && lines.includes('--only-binary :all:'));
    assert.ok(lines.includes(`# This requirements file was generated for a ${X86} environment.`));
    assert.doesNotMatch(requirements, /--trusted-host|--no-deps|--extra-index-url/);
    assert.deepEqual(lines.filter((l) => /^[a-z]/.test(l)).map((l) => l.split(' ')[0]), ['rel_app==1.0', 'rel_fancy==0.1', 'rel_lib==1.1', 'rel_linux==1.0']);

    const file = join(temp.path, 'requirements.txt');
    writeFileSync(file, requirements);
    // No --index-url on the command line and no --no-deps: the file names the release index, and
    // pip checks every dependency of every pin against the pins (hash-checking mode).
    const install = await run(venvPython, ['-m', 'pip', 'install', '--isolated', '--no-cache-dir', '--require-hashes', '--only-binary', ':all:', '-r', file], { env: isolatedEnv() });
    assert.equal(install.code, 0, install.stdout + install.stderr);
    assert.match(install.stdout, /releases\/r1\/simple/);
    const imported = await run(venvPython, ['-c', 'import rel_app, rel_lib, rel_fancy, rel_linux; print(rel_lib.__version__)']);
    assert.equal(imported.stdout.trim(), '1.1', imported.stderr);

    const clean = await cli('channel', 'verify-env', '--release', 'r1', '--python', venvPython);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, new RegExp(`against r1 \\(${X86}\\): clean`));

    const site = (JSON.parse((await cli('channel', 'verify-env', '--release', 'r1', '--python', venvPython, '--json')).stdout) as { sitePackages: string[] }).sitePackages[0] ?? '';
    appendFileSync(join(site, 'rel_lib', '__init__.py'), 'print("tampered")\n');
    const dirty = await cli('channel', 'verify-env', '--release', 'r1', '--python', venvPython, '--json');
    assert.equal(dirty.code, 1);
    const report = JSON.parse(dirty.stdout) as { clean: boolean; modified: { project: string; files: { path: string; problem: string }[] }[]; extra: unknown[]; missing: unknown[] };
    assert.equal(report.clean, false);
    assert.deepEqual(report.modified, [{ project: 'rel-lib', version: '1.1', files: [{ path: 'rel_lib/__init__.py', problem: 'changed' }] }]);
    assert.deepEqual([report.extra, report.missing], [[], []]);
  });

  test('the release index offers exactly the release files; a published release is immutable', async () => {
    const root = await (await get('releases/r1/simple/')).text();
    assert.deepEqual([...root.matchAll(/>([^<]+)<\/a>/g)].map((m) => m[1]), ['rel-app', 'rel-fancy', 'rel-lib', 'rel-linux']);
    const lib = (await (await get('releases/r1/simple/rel-lib/', )).text());
    assert.match(lib, /rel_lib-1\.1-py3-none-any\.whl/);
    assert.doesNotMatch(lib, /rel_lib-(1\.0|2\.0)-/);
    assert.equal((await get('releases/r1/simple/rel-decoy/')).status, 404);
    assert.equal((await get('releases/r1/files/rel-decoy/rel_decoy-1.0-py3-none-any.whl')).status, 404);
    assert.equal((await get('releases/r1/files/rel-lib/rel_lib-2.0-py3-none-any.whl')).status, 404);
    assert.equal((await get('releases/r1/files/rel-lib/rel_lib-1.1-py3-none-any.whl')).status, 200);
    const again = await cli('channel', 'release', 'publish', 'r1', '--base-url', channel.url);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /CHANNEL_RELEASE_PUBLISHED/);
  });

  test('pylock.toml is valid TOML (smol-toml and Python tomllib) and follows PEP 751', async () => {
    const text = await (await get(`releases/r1/pylock.${X86}.toml`)).text();
    const lock = parseToml(text) as Record<string, unknown>;
    assert.equal(lock['lock-version'], '1.0');
    assert.equal(lock['created-by'], 'bulwark');
    assert.deepEqual(lock['environments'], ['implementation_name == "cpython" and python_version == "3.11" and sys_platform == "linux" and platform_machine == "x86_64"']);
    const packages = lock['packages'] as Array<Record<string, unknown>>;
    assert.deepEqual(packages.map((p) => `${String(p['name'])}==${String(p['version'])}`), ['rel-app==1.0', 'rel-fancy==0.1', 'rel-lib==1.1', 'rel-linux==1.0']);
    for (const p of packages) {
      const [wheel] = p['wheels'] as Array<Record<string, unknown>>;
      assert.ok(wheel && typeof wheel['name'] === 'string' && typeof wheel['url'] === 'string' && typeof wheel['size'] === 'number');
      assert.ok(wheel['upload-time'] instanceof Date, 'upload-time is a TOML datetime');
      assert.match(String((wheel['hashes'] as Record<string, string>)['sha256']), /^[0-9a-f]{64}$/);
    }
    assert.deepEqual(JSON.parse(JSON.stringify(packages[0]?.['dependencies'])), [{ name: 'rel-fancy' }, { name: 'rel-lib' }, { name: 'rel-linux' }]);
    const python = await run(DEBIAN_PYTHON, ['-c', 'import sys, tomllib; d = tomllib.loads(open(sys.argv[1]).read()); print(len(d["packages"]), type(d["packages"][0]["wheels"][0]["upload-time"]).__name__)', writeTemp('pylock.toml', text)]);
    assert.equal(python.stdout.trim(), '4 datetime', python.stderr);
  });

  test('the SBOM and the vulnerability report validate against the CycloneDX 1.6 schema', async () => {
    const schema = loadCycloneDx();
    const sbomText = await (await get('releases/r1/sbom.cdx.json')).text();
    const sbom = JSON.parse(sbomText) as { components: Array<{ purl: string; 'bom-ref': string; hashes: unknown[]; licenses?: unknown[] }> };
    assert.deepEqual(schema.check(sbom), []);
    assert.ok(sbom.components.some((c) => c.purl === 'pkg:pypi/rel-lib@1.1' && c['bom-ref'] === 'pypi-file:rel_lib-1.1-py3-none-any.whl'));
    assert.ok(sbom.components.every((c) => c.hashes.length === 1 && (c.licenses?.length ?? 0) > 0));
    assert.notDeepEqual(schema.check({ ...sbom, bomFormat: 'SPDX' }), [], 'the checker can fail');

    // An advisory for rel-lib < 1.2 appears in the live report (stored directly: an import would re-vet files).
    const parsed = parseOsvRecord({ id: 'PYSEC-2026-9001', summary: 'rel-lib leaks', affected: [{ package: { ecosystem: 'PyPI', name: 'rel-lib' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2' }] }] }] });
    assert.ok('advisory' in parsed);
    await channel.handle.context.advisories.upsert([parsed.advisory], 'test', new Date());
    const vex = (await (await get('releases/r1/vulnerabilities.json')).json()) as { vulnerabilities: Array<{ id: string; affects: Array<{ ref: string }> }> };
    assert.deepEqual(schema.check(vex), []);
    const serial = (JSON.parse(sbomText) as { serialNumber: string }).serialNumber.replace('urn:uuid:', '');
    assert.deepEqual(vex.vulnerabilities.map((v) => [v.id, v.affects.map((a) => a.ref)]), [['PYSEC-2026-9001', [`urn:cdx:${serial}/1#pypi-file%3Arel_lib-1.1-py3-none-any.whl`]]]);
  });

  test('a dependency missing on one target only (through a marker) is a hole: named by check, refused by publish', async () => {
    writeFileSync(join(temp.path, 'base.txt'), 'rel-base\n');
    const created = await cli('channel', 'release', 'create', 'r-hole', '--requirements', 'base.txt', '--target', `${X86},${S390X}`);
    assert.equal(created.code, 1, 'a draft with holes is stored, but the command reports failure');
    assert.match(created.stdout, new RegExp(`hole: ${S390X}: rel-zhelper \\(needed by rel-base 1\\.0\\)`));
    const check = await cli('channel', 'release', 'check', 'r-hole', '--json');
    assert.equal(check.code, 1);
    const proof = JSON.parse(check.stdout) as { closed: boolean; targets: Array<{ target: string; closed: boolean; holes: Array<{ project: string; by: string; requirement: string }> }> };
    assert.deepEqual(proof.targets.map((t) => [t.target, t.closed, t.holes.map((h) => [h.project, h.by, h.requirement])]), [
      [X86, true, []],
      [S390X, false, [['rel-zhelper', 'rel-base 1.0', 'rel-zhelper; platform_machine == "s390x"']]],
    ]);
    const publish = await cli('channel', 'release', 'publish', 'r-hole');
    assert.equal(publish.code, 1);
    assert.match(publish.stderr, /CHANNEL_RELEASE_NOT_CLOSED/);
    assert.match(publish.stderr, new RegExp(`${S390X}: rel-zhelper; platform_machine == "s390x" \\(needed by rel-base 1\\.0\\)`));
  });

  test('a conflict is explained: which requirement of which package, and the approved versions', async () => {
    writeFileSync(join(temp.path, 'conflict.txt'), 'quartz-shell\nbasalt-core>=2\n');
    const created = await cli('channel', 'release', 'create', 'r-conflict', '--requirements', 'conflict.txt', '--target', X86);
    assert.equal(created.code, 1);
    assert.match(created.stderr, /CHANNEL_RELEASE_CONFLICT/);
    assert.match(created.stderr, /no approved version of basalt-core satisfies every requirement on it: basalt-core>=2 \(from the top-level requirements\), basalt-core<2 \(from quartz-shell 1\.0\)/);
    assert.match(created.stderr, /2\.0 \(fails basalt-core<2 of quartz-shell 1\.0\)/);
    assert.equal((await cli('channel', 'release', 'show', 'r-conflict')).code, 1, 'nothing was stored');
  });

  test('currency and diff: newer approved versions, upgrades and fixed advisories (CLI and web page)', async () => {
    const newer = buildWheel({ name: 'rel-lib', version: '1.2' });
    writeFileSync(join(temp.path, newer.filename), newer.bytes);
    assert.equal((await cli('channel', 'upload', join(temp.path, newer.filename))).code, 0);
    assert.equal((await cli('channel', 'approve', 'rel-lib', '1.2')).code, 0);

    const currency = await cli('channel', 'currency', 'r1', '--json');
    const report = JSON.parse(currency.stdout) as { newer: Array<{ project: string; newer: string[] }>; vulnerabilities: Array<{ match: { id: string } }> };
    assert.deepEqual(report.newer.map((n) => [n.project, n.newer]), [['rel-lib', ['2.0', '1.2']], ['rel-lib', ['2.0', '1.2']]]);
    assert.deepEqual(report.vulnerabilities.map((v) => v.match.id), ['PYSEC-2026-9001']);

    const kept = await cli('channel', 'release', 'create', 'r1-same', '--requirements', 'top.txt', '--target', X86, '--from', 'r1', '--json');
    assert.ok((JSON.parse(kept.stdout) as { pins: Array<{ project: string; version: string }> }).pins.some((p) => p.project === 'rel-lib' && p.version === '1.1'), '--from keeps the previous pin');
    assert.equal((await cli('channel', 'release', 'create', 'r2', '--requirements', 'top.txt', '--target', X86)).code, 0);
    const diff = await cli('channel', 'release', 'diff', 'r1', 'r2');
    assert.equal(diff.code, 0, diff.stderr);
    assert.match(diff.stdout, new RegExp(`upgraded +rel-lib 1\\.1 → 1\\.2 \\(${X86}\\)`));
    assert.match(diff.stdout, new RegExp(`removed +rel-app 1\\.0 \\(${S390X}\\)`));
    assert.match(diff.stdout, /fixed +PYSEC-2026-9001 in rel-lib 1\.1/);

    const page = await (await get('releases/r1/')).text();
    assert.match(page, /pylock\.cp311-manylinux_x86_64\.toml/);
    // The page's markup is ASCII: the arrow is an entity (a browser shows the same arrow).
    assert.match(page, /rel-lib 1\.1 &rarr; 2\.0, 1\.2 \(cp311-manylinux_x86_64\)/);
    assert.match(page, /PYSEC-2026-9001/);
    assert.equal((await cli('channel', 'release', 'publish', 'r2', '--base-url', channel.url)).code, 0);
    const next = await (await get('releases/r2/')).text();
    assert.match(next, /<h2>Changes since r1<\/h2>/);
    assert.match(next, /<td>upgraded<\/td><td>rel-lib<\/td><td>1\.1<\/td><td>1\.2<\/td>/);
    assert.match(next, /fixed PYSEC-2026-9001/);
  });

  function writeTemp(name: string, body: string): string {
    const path = join(temp.path, name);
    writeFileSync(path, body);
    return path;
  }
});
