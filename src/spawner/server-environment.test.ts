import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildServerEnvironment, serverSearchPath, type ServerEnvironmentInput } from './server-environment.js';

function input(overrides: Partial<ServerEnvironmentInput> = {}): ServerEnvironmentInput {
  return {
    account: { name: 'alice', home: '/home/alice', shell: '/bin/bash' },
    hubProcessEnv: {
      PATH: '/root/.pyenv/shims:/usr/sbin:/usr/bin',
      HOME: '/root',
      LANG: 'C.UTF-8',
      LC_TIME: 'en_GB.UTF-8',
      TZ: 'Europe/Paris',
      JUPYTERHUB_SINGLEUSER_APP: 'notebook.notebookapp.NotebookApp',
      BULWARK_HUB__COOKIE_SECRET: 'hub-secret',
      PGPASSWORD: 'db-secret',
      JUPYTERHUB_API_TOKEN: 'the-hubs-own-token',
      PYTHONPATH: '/opt/hub',
    },
    hubEnvironment: {
      JUPYTERHUB_API_TOKEN: 'server-token',
      JUPYTERHUB_CLIENT_ID: 'jupyterhub-user-alice',
      JUPYTERHUB_SERVICE_PREFIX: '/user/alice/',
    },
    serviceUrl: 'http://127.0.0.1:40000/user/alice/',
    rootDir: null,
    defaultUrl: null,
    memLimitBytes: null,
    configEnvironment: {},
    ...overrides,
  };
}

describe('buildServerEnvironment', () => {
  it('passes the contract variables, the service URL and the account', () => {
    const env = buildServerEnvironment(input());
    assert.equal(env.JUPYTERHUB_API_TOKEN, 'server-token');
    assert.equal(env.JUPYTERHUB_CLIENT_ID, 'jupyterhub-user-alice');
    assert.equal(env.JUPYTERHUB_SERVICE_URL, 'http://127.0.0.1:40000/user/alice/');
    assert.equal(env.USER, 'alice');
    assert.equal(env.LOGNAME, 'alice');
    assert.equal(env.HOME, '/home/alice');
    assert.equal(env.SHELL, '/bin/bash');
  });

  it('uses the fixed PATH, never the hub\'s', () => {
    assert.equal(buildServerEnvironment(input()).PATH, serverSearchPath);
  });

  it('copies only the allowlisted hub variables', () => {
    const env = buildServerEnvironment(input());
    assert.equal(env.LANG, 'C.UTF-8');
    assert.equal(env.LC_TIME, 'en_GB.UTF-8');
    assert.equal(env.TZ, 'Europe/Paris');
    assert.equal(env.JUPYTERHUB_SINGLEUSER_APP, 'notebook.notebookapp.NotebookApp');
    assert.equal(env.BULWARK_HUB__COOKIE_SECRET, undefined);
    assert.equal(env.PGPASSWORD, undefined);
    assert.equal(env.PYTHONPATH, undefined);
    assert.equal(Object.values(env).includes('the-hubs-own-token'), false);
  });

  it('sets root dir, default URL and MEM_LIMIT only when configured', () => {
    const plain = buildServerEnvironment(input());
    assert.equal('JUPYTERHUB_ROOT_DIR' in plain, false);
    assert.equal('JUPYTERHUB_DEFAULT_URL' in plain, false);
    assert.equal('MEM_LIMIT' in plain, false);
    const configured = buildServerEnvironment(
      input({ rootDir: '/srv/nb/alice', defaultUrl: '/tree', memLimitBytes: 536870912 }),
    );
    assert.equal(configured.JUPYTERHUB_ROOT_DIR, '/srv/nb/alice');
    assert.equal(configured.JUPYTERHUB_DEFAULT_URL, '/tree');
    assert.equal(configured.MEM_LIMIT, '536870912');
  });

  it('leaves SHELL unset for an empty passwd shell', () => {
    const env = buildServerEnvironment(input({ account: { name: 'alice', home: '/home/alice', shell: '' } }));
    assert.equal('SHELL' in env, false);
  });

  it('lets the spawner own the service URL and account even if the hub sends them', () => {
    const env = buildServerEnvironment(
      input({ hubEnvironment: { JUPYTERHUB_SERVICE_URL: 'http://evil/', USER: 'root', PATH: '/tmp' } }),
    );
    assert.equal(env.JUPYTERHUB_SERVICE_URL, 'http://127.0.0.1:40000/user/alice/');
    assert.equal(env.USER, 'alice');
    assert.equal(env.PATH, serverSearchPath);
  });

  it('applies spawner.environment last', () => {
    const env = buildServerEnvironment(
      input({ configEnvironment: { PATH: '/opt/conda/bin:/usr/bin', JUPYTERHUB_SINGLEUSER_APP: 'x.App', EXTRA: '1' } }),
    );
    assert.equal(env.PATH, '/opt/conda/bin:/usr/bin');
    assert.equal(env.JUPYTERHUB_SINGLEUSER_APP, 'x.App');
    assert.equal(env.EXTRA, '1');
  });
});
