// Where `bulwark up` serves the channel: on the hub's public listener (also over TLS from a
// keystore, with the hub's HSTS), on the loopback origin single-user servers use, and, when
// channel.separate_listener is on, on its own port — always the same app and the same data.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cliActor } from '../../../src/log/index.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform.js';
import { buildWheel } from '../../helpers/wheel-builder.js';
import { createTestPki } from '../keystore/test-pki.js';
import { httpsGet } from '../keystore/tls-clients.js';

async function uploadWith(platform: TestPlatform, channelUrl: string, get: (url: string, init: RequestInit) => Promise<{ status: number }>): Promise<number> {
  const services = platform.handle.hub.services;
  const owner = (await services.users.get('publisher')) ?? (await services.users.create({ name: 'publisher', admin: true, authorized: true }, cliActor));
  const { token } = await services.tokens.create({ owner, scopes: ['channel:publish'], note: 'test' }, cliActor);
  const wheel = buildWheel({ name: 'listener-demo', version: '1.0' });
  const form = new FormData();
  form.append(':action', 'file_upload');
  form.append('sha256_digest', wheel.sha256);
  form.append('content', new Blob([wheel.bytes]), wheel.filename);
  return (await get(`${channelUrl}legacy/`, { method: 'POST', body: form, headers: { authorization: `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}` } })).status;
}

describe('bulwark up: the channel on every listener of the platform', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('channel.separate_listener: the same channel on its own port, the hub listener unchanged', async () => {
    const platform = await startTestPlatform({ 'channel.separate_listener': true, 'channel.bind_url': 'http://127.0.0.1:0', 'channel.policy.require_vetting': false });
    cleanups.push(() => platform.close());
    const separate = platform.handle.separateChannelUrl;
    assert.ok(separate, 'no separate channel URL');
    assert.notEqual(new URL(separate).port, new URL(platform.url).port);
    assert.equal(await uploadWith(platform, platform.channelUrl, fetch), 200);
    // Uploaded through the hub's listener, served by the separate one: one app, one database.
    const page = await fetch(`${separate}simple/listener-demo/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /listener_demo-1\.0-py3-none-any\.whl/);
    // The separate listener serves the channel only: hub pages are not there.
    assert.equal((await fetch(`${new URL(separate).origin}/hub/login`)).status, 404);
  });

  test('over TLS: the channel answers on https with the hub HSTS, and on the loopback origin servers use', async () => {
    const pki = createTestPki();
    cleanups.push(() => pki.remove());
    const temp = makeTempDir('bulwark-platform-tls-');
    cleanups.push(() => temp.remove());
    const passFile = join(temp.path, 'pass');
    writeFileSync(passFile, 'platform-secret', { mode: 0o600 });
    const bundle = join(temp.path, 'hub.p12');
    writeFileSync(bundle, pki.pkcs12(pki.issue(), 'platform-secret'));
    const platform = await startTestPlatform({
      'hub.bind_url': 'https://127.0.0.1:0',
      'hub.tls.keystore': `pkcs12:${bundle}?passphrase-file=${passFile}`,
      'channel.policy.require_vetting': false,
    });
    cleanups.push(() => platform.close());
    assert.match(platform.channelUrl, /^https:\/\/127\.0\.0\.1:\d+\/channel\/$/);
    const simple = await httpsGet(`${platform.channelUrl}simple/`, pki.caPem);
    assert.equal(simple.status, 200);
    assert.match(String(simple.headers['strict-transport-security']), /max-age=\d+/);
    // Single-user servers use the hub's loopback origin (plain http, 127.0.0.1): the channel is there too.
    const link = platform.handle.serverChannelUrl;
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/channel\/$/);
    const loopback = await fetch(`${link}simple/`);
    assert.equal(loopback.status, 200);
    assert.equal(loopback.headers.get('strict-transport-security'), null, 'HSTS over plain http');
  });
});
