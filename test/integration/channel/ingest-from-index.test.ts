// `channel ingest --from-index URL --requirements FILE` against a second in-process channel
// serving as the upstream index: exactly the hash-listed files come over, into quarantine.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ingestFromIndex } from '../../../src/channel/admin/ingest-from-index.js';
import { cliActor } from '../../../src/log/index.js';
import { startTestChannel, type TestChannel } from '../../helpers/test-channel.js';
import { buildWheel } from '../../helpers/wheel-builder.js';
import { channelCli, uploadWheels } from './channel-cli.js';

describe('channel ingest --from-index', () => {
  let upstream: TestChannel;
  let channel: TestChannel;
  const one = buildWheel({ name: 'mirror-me', version: '1.0' });
  const two = buildWheel({ name: 'mirror-me', version: '2.0' });
  const other = buildWheel({ name: 'unrelated-thing', version: '1.0' });

  before(async () => {
    [upstream, channel] = await Promise.all([startTestChannel(), startTestChannel({ 'channel.policy.require_vetting': true })]);
    const uploads = await uploadWheels(upstream, await upstream.token(['channel:publish']), [one, two, other]);
    assert.deepEqual(uploads.map((u) => u.body['state']), ['approved', 'approved', 'approved']);
  });
  after(async () => {
    await channel?.close();
    await upstream?.close();
  });

  test('fetches only the named project page and the files whose hash is listed', async () => {
    const fetched: string[] = [];
    const requirements = `mirror-me==1.0 --hash=sha256:${one.sha256}\n`;
    const results = await ingestFromIndex(channel.handle.context, { indexUrl: upstream.indexUrl, requirements, fetch: (url, init) => (fetched.push(url), fetch(url, init)) }, cliActor);
    assert.deepEqual(results.map((r) => r.outcome), ['published']);
    assert.deepEqual(fetched, [`${upstream.indexUrl}mirror-me/`, `${upstream.url}files/mirror-me/${one.filename}`]);
    const file = await channel.handle.context.catalog.file(one.filename);
    assert.equal(file?.state, 'vetted', 'ingested files pass through quarantine and vetting, and wait for an approver');
    assert.equal(await channel.handle.context.catalog.file(two.filename), undefined);
    assert.equal((await fetch(`${channel.indexUrl}mirror-me/`)).status, 404);
  });

  test('the CLI mirrors through HTML too, skips what is present, and refuses unhashed or unknown pins', async () => {
    const file = join(channel.dataDir, 'requirements.txt');
    writeFileSync(file, `mirror-me==1.0 --hash=sha256:${one.sha256}\nmirror-me==2.0 --hash=sha256:${two.sha256}\n`);
    const run = await channelCli(channel, ['channel.policy.require_vetting=true'], 'channel', 'ingest', '--from-index', upstream.indexUrl, '--requirements', file, '--json');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as Array<{ outcome: string; state?: string }>).map((r) => [r.outcome, r.state]), [['skipped', undefined], ['published', 'vetted']]);

    writeFileSync(file, `mirror-me==2.0 --hash=sha256:${'0'.repeat(64)}\n`);
    const wrong = await channelCli(channel, [], 'channel', 'ingest', '--from-index', upstream.indexUrl, '--requirements', file, '--json');
    assert.equal(wrong.code, 1);
    writeFileSync(file, 'unrelated-thing==1.0\n');
    const unhashed = await channelCli(channel, [], 'channel', 'ingest', '--from-index', upstream.indexUrl, '--requirements', file);
    assert.notEqual(unhashed.code, 0);
    assert.match(unhashed.stderr, /CHANNEL_INGEST_REQUIREMENTS_INVALID/);
    assert.equal(await channel.handle.context.catalog.file(other.filename), undefined);

    const html = await ingestFromIndex(channel.handle.context, {
      indexUrl: upstream.indexUrl,
      requirements: `unrelated-thing==1.0 --hash=sha256:${other.sha256}\n`,
      fetch: (url) => fetch(url, { headers: { accept: 'text/html' } }),
    }, cliActor);
    assert.deepEqual(html.map((r) => r.outcome), ['published']);
  });
});
