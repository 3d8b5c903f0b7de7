import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FsArtifactStore } from '../../../src/channel/artifacts/fs-artifact-store.js';
import { channelSettings, runBulwarkInProcess } from '../../helpers/in-process-cli.js';
import { startTestChannel, type TestChannel } from '../../helpers/test-channel.js';
import { buildWheel } from '../../helpers/wheel-builder.js';

/** Runs `bulwark …` in-process against the test channel's database and blob directory. */
function bulwark(channel: TestChannel, ...argv: string[]) {
  return runBulwarkInProcess([...argv, ...channelSettings(channel.dataDir)], { cwd: channel.dataDir });
}

describe('bulwark channel upload | ingest | approve | yank | delete | fsck', () => {
  let channel: TestChannel;
  const wheelhouse = () => join(channel.dataDir, 'wheelhouse');
  const a1 = buildWheel({ name: 'cli-a', version: '1.0' });
  const a2 = buildWheel({ name: 'cli-a', version: '2.0' });
  const b1 = buildWheel({ name: 'cli-bravo', version: '1.0', requiresDist: ['cli-a>=1'] });
  const status = async (name: string) => (await fetch(`${channel.indexUrl}${name}/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } })).status;
  const files = async (name: string) =>
    ((await (await fetch(`${channel.indexUrl}${name}/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } })).json()) as { files: Array<{ filename: string; yanked: unknown }> }).files;

  before(async () => {
    channel = await startTestChannel({ 'channel.policy.require_vetting': true });
    mkdirSync(wheelhouse());
    for (const wheel of [a1, a2, b1]) writeFileSync(join(wheelhouse(), wheel.filename), wheel.bytes);
    writeFileSync(join(wheelhouse(), 'broken-1.0-py3-none-any.whl'), a1.bytes.subarray(0, 100));
  });
  after(async () => channel?.close());

  test('ingest publishes a wheelhouse, reports each file, and keeps files out of the index until approved', async () => {
    const result = await bulwark(channel, 'channel', 'ingest', '--wheelhouse', wheelhouse(), '--json');
    assert.equal(result.code, 1, 'the broken wheel makes the run fail');
    const report = JSON.parse(result.stdout) as Array<{ outcome: string; state?: string; error?: { code: string } }>;
    assert.deepEqual(report.map((r) => r.outcome), ['failed', 'published', 'published', 'published']);
    assert.equal(report[0]?.error?.code, 'CHANNEL_UPLOAD_INVALID_WHEEL');
    assert.ok(report.filter((r) => r.outcome === 'published').every((r) => r.state === 'vetted'));
    assert.equal(await status('cli-a'), 404, 'vetted files stay out of the index until approved');
    const again = await bulwark(channel, 'channel', 'ingest', '--wheelhouse', wheelhouse(), '--json');
    assert.deepEqual((JSON.parse(again.stdout) as Array<{ outcome: string }>).map((r) => r.outcome), ['failed', 'skipped', 'skipped', 'skipped']);
  });

  test('approve NAME VERSION and approve NAME put files into the index (audited)', async () => {
    assert.equal((await bulwark(channel, 'channel', 'approve', 'CLI_A', '1.0')).code, 0);
    assert.deepEqual((await files('cli-a')).map((f) => f.filename), [a1.filename]);
    assert.equal((await bulwark(channel, 'channel', 'approve', 'cli-a')).code, 0);
    assert.equal((await bulwark(channel, 'channel', 'approve', 'cli-bravo', b1.filename)).code, 0);
    assert.deepEqual((await files('cli-a')).map((f) => f.filename), [a1.filename, a2.filename]);
    const audit = await channel.handle.services.audit.list({ action: 'channel.approve' });
    assert.equal(audit.length, 3);
    const none = await bulwark(channel, 'channel', 'approve', 'cli-a', '9.9');
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /CHANNEL_NO_MATCH/);
  });

  test('upload of a local file goes through the same checks', async () => {
    const c1 = buildWheel({ name: 'cli-charlie', version: '1.0' });
    const lie = buildWheel({ name: 'cli-delta', version: '1.0', metadataVersion: '1.1' });
    for (const wheel of [c1, lie]) writeFileSync(join(channel.dataDir, wheel.filename), wheel.bytes);
    const ok = await bulwark(channel, 'channel', 'upload', join(channel.dataDir, c1.filename));
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /published cli_charlie-1\.0-py3-none-any\.whl \(vetted\)/);
    const bad = await bulwark(channel, 'channel', 'upload', join(channel.dataDir, lie.filename));
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /CHANNEL_UPLOAD_METADATA_MISMATCH/);
  });

  test('yank and unyank with a reason', async () => {
    assert.equal((await bulwark(channel, 'channel', 'yank', 'cli-a', '2.0', '--reason', 'bad build')).code, 0);
    assert.deepEqual((await files('cli-a')).map((f) => f.yanked), [false, 'bad build']);
    assert.equal((await bulwark(channel, 'channel', 'unyank', 'cli-a', '2.0')).code, 0);
    assert.deepEqual((await files('cli-a')).map((f) => f.yanked), [false, false]);
  });

  test('fsck and the integrity schedule withhold a damaged file', async () => {
    const clean = await bulwark(channel, 'channel', 'fsck');
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    const store = new FsArtifactStore(join(channel.dataDir, 'channel'));
    writeFileSync(store.pathOf(a2.sha256), Buffer.from('tampered'));
    const dirty = await bulwark(channel, 'channel', 'fsck', '--json');
    assert.equal(dirty.code, 1);
    const report = JSON.parse(dirty.stdout) as { results: Array<{ filename: string; status: string }> };
    assert.deepEqual(report.results.filter((r) => r.status !== 'ok').map((r) => r.filename), [a2.filename]);
    assert.deepEqual((await files('cli-a')).map((f) => f.filename), [a1.filename]);
    assert.equal((await fetch(`${channel.url}files/cli-a/${a2.filename}`)).status, 404);
    // Restored bytes verify again on the next scheduled pass.
    writeFileSync(store.pathOf(a2.sha256), a2.bytes);
    await channel.handle.context.catalog.recordVerification((await channel.handle.context.catalog.file(a2.filename))?.id ?? -1, false, '2000-01-01T00:00:00.000Z');
    await channel.handle.verifyNow();
    assert.deepEqual((await files('cli-a')).map((f) => f.filename), [a1.filename, a2.filename]);
  });

  test('delete needs --force, removes rows and unshared blobs, and is audited', async () => {
    const refused = await bulwark(channel, 'channel', 'delete', 'cli-a', '2.0');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /yank instead, or pass --force/);
    const deleted = await bulwark(channel, 'channel', 'delete', 'cli-a', '2.0', '--force');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual((await files('cli-a')).map((f) => f.filename), [a1.filename]);
    const store = new FsArtifactStore(join(channel.dataDir, 'channel'));
    assert.equal(await store.stat(a2.sha256), undefined);
    const audit = await channel.handle.services.audit.list({ action: 'channel.delete' });
    assert.equal(audit[0]?.target, a2.filename);
  });

  test('the web pages list packages and show a project with files, hashes and dependencies', async () => {
    const list = await (await fetch(channel.url)).text();
    assert.match(list, /href="\/project\/cli-a\/"/);
    const page = await (await fetch(`${channel.url}project/cli-bravo/`)).text();
    assert.match(page, /<code>cli-a&gt;=1<\/code>/);
    assert.match(page, new RegExp(b1.sha256));
    assert.match(page, /approved/);
    assert.equal((await fetch(`${channel.url}project/cli-charlie/`)).status, 404, 'projects without approved files are hidden from anonymous readers');
  });
});
