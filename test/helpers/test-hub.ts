import { loadConfig } from '../../src/config/index.js';
import { createLogger, type Logger } from '../../src/log/index.js';
import { startHub, type HubHandle, type StartHubOptions } from '../../src/server/hub-server.js';
import { makeTempDir } from './temp-dir.js';

export interface TestHub {
  handle: HubHandle;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Starts the real hub in-process on 127.0.0.1 port 0 with a throwaway data directory. Settings
 * are dotted config paths, as `--set` takes them. Servers use the classic notebook UI so pages
 * like /tree exist; set BULWARK_TEST_LOG=debug to see the hub's log.
 */
export async function startTestHub(settings: Record<string, unknown> = {}, logger?: Logger, options: Pick<StartHubOptions, 'extend'> = {}): Promise<TestHub> {
  const temp = makeTempDir('bulwark-hub-');
  const { config } = loadConfig({
    env: {},
    flags: {
      'hub.bind_url': 'http://127.0.0.1:0',
      'hub.data_dir': temp.path,
      'spawner.environment': { JUPYTERHUB_SINGLEUSER_APP: 'notebook.notebookapp.NotebookApp' },
      'spawner.http_timeout': 30,
      ...settings,
    },
  });
  const level = (process.env['BULWARK_TEST_LOG'] ?? 'silent') as 'silent';
  // `extend` adds parts to the hub as `bulwark up` does (e.g. the channel sharing its database).
  const handle = await startHub(config, { logger: logger ?? createLogger({ level, pretty: false }), ...(options.extend ? { extend: options.extend } : {}) });
  return {
    handle,
    url: handle.url,
    dataDir: temp.path,
    async close() {
      await handle.close({ stopServers: true });
      temp.remove();
    },
  };
}
