// `bulwark up` with channel.require_auth: anonymous readers are shut out, every hub account reads
// the channel (the built-in user role holds channel:read), and a user's server gets its own API
// token as pip's password, so pip inside the server still installs approved packages.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cliActor } from '../../../src/log/index.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform.js';
import { buildWheel } from '../../helpers/wheel-builder.js';
import { DEBIAN_PYTHON, isolatedEnv, run } from '../channel/python-clients.js';
import { standInServerCmd } from '../operations/stand-in-server.js';

describe('bulwark up with channel.require_auth', { timeout: 120_000 }, () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('anonymous 401, any account reads, a server pip authenticates with its own token', async () => {
    const temp = makeTempDir('bulwark-require-auth-');
    cleanups.push(() => temp.remove());
    const pipDir = join(temp.path, 'pip');
    const user: OsUser = await createOsUser();
    cleanups.push(() => removeOsUser(user));
    const platform: TestPlatform = await startTestPlatform({
      'channel.require_auth': true,
      'channel.policy.require_vetting': false,
      'spawner.cmd': standInServerCmd,
      'spawner.pip_config_dir': pipDir,
    });
    cleanups.push(() => platform.close());
    const services = platform.handle.hub.services;

    const admin = await services.users.create({ name: 'publisher', admin: true, authorized: true }, cliActor);
    const publish = (await services.tokens.create({ owner: admin, scopes: ['channel:publish'], note: 'upload' }, cliActor)).token;
    const wheel = buildWheel({ name: 'guarded-lib', version: '1.0' });
    const form = new FormData();
    form.append(':action', 'file_upload');
    form.append('sha256_digest', wheel.sha256);
    form.append('content', new Blob([wheel.bytes]), wheel.filename);
    const basic = (token: string) => `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}`;
    assert.equal((await fetch(`${platform.channelUrl}legacy/`, { method: 'POST', body: form, headers: { authorization: basic(publish) } })).status, 200);

    assert.equal((await fetch(`${platform.channelUrl}simple/`)).status, 401, 'anonymous readers are refused');
    const person = await services.users.create({ name: user.name, authorized: true }, cliActor);
    const own = (await services.tokens.create({ owner: person, note: 'own token' }, cliActor)).token;
    assert.equal((await fetch(`${platform.channelUrl}simple/`, { headers: { authorization: basic(own) } })).status, 200, 'a plain account reads the channel');

    const started = await fetch(`${platform.url}/hub/api/users/${user.name}/server`, { method: 'POST', headers: { authorization: `token ${own}` } });
    assert.equal(started.status, 201, await started.text());
    const confs = readdirSync(pipDir).filter((name) => name.endsWith('.pip.conf'));
    assert.equal(confs.length, 1, `pip.conf files: ${confs.join(', ')}`);
    const indexUrl = /^index-url = (.+)$/m.exec(readFileSync(join(pipDir, confs[0] ?? ''), 'utf8'))?.[1] ?? '';
    const credentials = new URL(indexUrl);
    assert.equal(credentials.username, '__token__');
    assert.notEqual(credentials.password, own, 'the server has its own token');
    assert.equal(`${credentials.origin}${credentials.pathname}`, `${platform.handle.serverChannelUrl}simple/`);

    const downloads = join(temp.path, 'downloads');
    mkdirSync(downloads);
    const pip = (index: string) =>
      run(DEBIAN_PYTHON, ['-m', 'pip', 'download', '--isolated', '--no-cache-dir', '--no-deps', '--only-binary', ':all:', '--index-url', index, '-d', downloads, 'guarded-lib==1.0'], { env: isolatedEnv() });
    const anonymous = await pip(`${platform.handle.serverChannelUrl}simple/`);
    assert.notEqual(anonymous.code, 0, 'pip without credentials must fail');
    const withServerToken = await pip(indexUrl);
    assert.equal(withServerToken.code, 0, withServerToken.stdout + withServerToken.stderr);
    assert.deepEqual(readdirSync(downloads), [wheel.filename]);

    assert.equal((await fetch(`${platform.url}/hub/api/users/${user.name}/server`, { method: 'DELETE', headers: { authorization: `token ${own}` } })).status, 204);
    assert.deepEqual(readdirSync(pipDir).filter((name) => name.endsWith('.pip.conf')), [], 'the pip.conf is removed with the server');
  });
});
