import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLocalProcessSpawner } from '../../../src/spawner/local-process-spawner.js';
import type { SpawnerConfig, StartRequest } from '../../../src/spawner/spawner.js';
import { pidsOfUid, withOsUser } from '../../helpers/os-users.js';
import { recordingLogger } from './recording-logger.js';
import { spawnerError, testSpawnerConfig } from './spawner-fixture.js';

const run = promisify(execFile);

function startFor(username: string, overrides: Partial<SpawnerConfig> = {}): Promise<unknown> {
  const spawner = createLocalProcessSpawner(testSpawnerConfig(overrides), { logger: recordingLogger() });
  const request: StartRequest = {
    username,
    serverName: '',
    servicePrefix: `/user/${username}/`,
    hubEnvironment: { JUPYTERHUB_API_TOKEN: 'x', JUPYTERHUB_CLIENT_ID: `jupyterhub-user-${username}` },
  };
  return spawner.start(request);
}

describe('spawner preflight refuses bad accounts and commands before launching', () => {
  it('refuses user names that are not OS account names', async () => {
    for (const name of ['../etc', '-u0', 'Alice', 'a/b', '1000']) {
      await assert.rejects(startFor(name), spawnerError('SPAWNER_INVALID_USERNAME'), name);
    }
  });

  it('refuses a user without an OS account', async () => {
    await assert.rejects(startFor('bwtnosuchuser'), spawnerError('SPAWNER_NO_OS_ACCOUNT', 'no OS account named bwtnosuchuser'));
  });

  it('refuses root, even with min_uid 0', async () => {
    await assert.rejects(startFor('root', { min_uid: 0 }), spawnerError('SPAWNER_ROOT_REFUSED', 'root'));
  });

  it('refuses system accounts below min_uid', async (t) => {
    await assert.rejects(startFor('daemon'), spawnerError('SPAWNER_UID_TOO_LOW', 'daemon', 'uid 1 ', 'min_uid (1000)'));
    const user = await withOsUser(t);
    await assert.rejects(
      startFor(user.name, { min_uid: user.uid + 1 }),
      spawnerError('SPAWNER_UID_TOO_LOW', user.name, `uid ${user.uid}`),
    );
  });

  it('refuses an account whose uid another account shares', async (t) => {
    const user = await withOsUser(t);
    const twin = `${user.name}x`;
    await run('/usr/sbin/useradd', ['--non-unique', '--uid', String(user.uid), '--no-create-home', twin]);
    t.after(() => run('/usr/sbin/userdel', [twin]).then(() => undefined));
    await assert.rejects(startFor(twin), spawnerError('SPAWNER_UID_SHARED', twin, user.name));
  });

  it('refuses a missing home directory', async (t) => {
    const user = await withOsUser(t, { noHome: true });
    await assert.rejects(startFor(user.name), spawnerError('SPAWNER_HOME_MISSING', user.name, user.home, 'does not exist'));
  });

  it('refuses a home directory owned by someone else', async (t) => {
    const user = await withOsUser(t);
    await chown(user.home, 0, 0);
    await assert.rejects(startFor(user.name), spawnerError('SPAWNER_HOME_NOT_OWNED', user.name, 'uid 0'));
  });

  it('refuses a world-writable home directory', async (t) => {
    const user = await withOsUser(t);
    await chmod(user.home, 0o777);
    await assert.rejects(startFor(user.name), spawnerError('SPAWNER_HOME_WORLD_WRITABLE', user.name, 'mode 0777'));
  });

  it('refuses a notebook_dir that does not exist', async (t) => {
    const user = await withOsUser(t);
    await assert.rejects(
      startFor(user.name, { notebook_dir: '~/notebooks/{username}' }),
      spawnerError('SPAWNER_NOTEBOOK_DIR_MISSING', `${user.home}/notebooks/${user.name}`),
    );
  });

  it('refuses commands that do not exist, by path or by name', async (t) => {
    const user = await withOsUser(t);
    await assert.rejects(
      startFor(user.name, { cmd: ['/nonexistent/jupyterhub-singleuser'] }),
      spawnerError('SPAWNER_CMD_NOT_FOUND', '/nonexistent/jupyterhub-singleuser', 'does not exist'),
    );
    await assert.rejects(
      startFor(user.name, { cmd: ['bwt-no-such-command'] }),
      spawnerError('SPAWNER_CMD_NOT_FOUND', 'bwt-no-such-command', 'not found on PATH /usr/local/bin:/usr/bin:/bin'),
    );
    await assert.rejects(startFor(user.name, { cmd: ['bin/server'] }), spawnerError('SPAWNER_CMD_NOT_FOUND', 'relative path'));
    // Found on root's PATH (/usr/sbin) but not on the servers' PATH.
    await assert.rejects(startFor(user.name, { cmd: ['useradd'] }), spawnerError('SPAWNER_CMD_NOT_FOUND', 'useradd'));
  });

  it('refuses a command the user may not execute', async (t) => {
    const user = await withOsUser(t);
    const dir = await mkdtemp(join(tmpdir(), 'bwt-private-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const script = join(dir, 'server');
    await writeFile(script, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    await chmod(dir, 0o700); // root-only directory: the user cannot reach the script
    await assert.rejects(startFor(user.name, { cmd: [script] }), spawnerError('SPAWNER_CMD_NOT_EXECUTABLE', script, user.name));
    await chmod(dir, 0o755);
    await chmod(script, 0o644);
    await assert.rejects(startFor(user.name, { cmd: [script] }), spawnerError('SPAWNER_CMD_NOT_FOUND', 'no execute permission'));
  });

  it('refuses an unreadable mem_limit', async (t) => {
    const user = await withOsUser(t);
    await assert.rejects(startFor(user.name, { mem_limit: 'lots' }), spawnerError('SPAWNER_INVALID_MEM_LIMIT', 'lots'));
    assert.deepEqual(await pidsOfUid(user.uid), []);
  });
});
