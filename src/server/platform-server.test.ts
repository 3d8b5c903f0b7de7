import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../config/index.js';
import { platformChannelPath, platformDefaults } from './platform-server.js';

test('bulwark up binds notebooks to the approved channel and the classic UI unless told otherwise', () => {
  const plain = platformDefaults(loadConfig({ env: {} }).config);
  assert.equal(plain.spawner.package_channel, 'approved');
  assert.equal(plain.spawner.environment['JUPYTERHUB_SINGLEUSER_APP'], 'notebook.notebookapp.NotebookApp');
  assert.ok(Object.isFrozen(plain.spawner));

  const chosen = platformDefaults(
    loadConfig({ env: {}, flags: { 'spawner.package_channel': 'toolkit-1', 'spawner.environment': { JUPYTERHUB_SINGLEUSER_APP: 'jupyter_server.serverapp.ServerApp', EXTRA: '1' } } }).config,
  );
  assert.equal(chosen.spawner.package_channel, 'toolkit-1');
  assert.deepEqual({ ...chosen.spawner.environment }, { JUPYTERHUB_SINGLEUSER_APP: 'jupyter_server.serverapp.ServerApp', EXTRA: '1' });
});

test('the channel lives at channel/ below the hub base URL', () => {
  assert.equal(platformChannelPath(loadConfig({ env: {} }).config), '/channel/');
  assert.equal(platformChannelPath(loadConfig({ env: {}, flags: { 'hub.base_url': '/jh/' } }).config), '/jh/channel/');
});
