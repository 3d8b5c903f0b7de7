import type { SpawnerConfig } from './spawner.js';

/** JupyterHub's defaults for the keys of section `spawner`; the config schema resolves onto these. */
export const defaultSpawnerConfig: Readonly<SpawnerConfig> = Object.freeze({
  cmd: ['jupyterhub-singleuser'],
  args: [],
  environment: {},
  notebook_dir: null,
  default_url: null,
  min_uid: 1000,
  port: 0,
  ip: '127.0.0.1',
  start_timeout: 60,
  http_timeout: 30,
  poll_interval: 30,
  mem_limit: null,
  interrupt_timeout: 10,
  term_timeout: 5,
  kill_timeout: 5,
});
