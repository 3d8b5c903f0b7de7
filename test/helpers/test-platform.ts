import { loadConfig } from '../../src/config/index.js';
import { createLogger, type Logger } from '../../src/log/index.js';
import { startPlatform, type PlatformHandle } from '../../src/server/platform-server.js';
import { makeTempDir } from './temp-dir.js';

export interface TestPlatform {
  handle: PlatformHandle;
  /** The hub's origin with the real port, e.g. http://127.0.0.1:41234 */
  url: string;
  /** `<url>/channel/` */
  channelUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Starts `bulwark up`'s platform in-process on 127.0.0.1 port 0 with a throwaway data directory
 * (one database for hub and channel, blobs under it). Settings are dotted config paths, as `--set`
 * takes them. Servers use the classic notebook UI; BULWARK_TEST_LOG=debug shows the log.
 */
export async function startTestPlatform(settings: Record<string, unknown> = {}, logger?: Logger): Promise<TestPlatform> {
  const temp = makeTempDir('bulwark-platform-');
  try {
    const { config } = loadConfig({
      env: {},
      flags: {
        'hub.bind_url': 'http://127.0.0.1:0',
        'hub.data_dir': temp.path,
        'log.audit_file': `${temp.path}/audit.log`,
        'spawner.environment': { JUPYTERHUB_SINGLEUSER_APP: 'notebook.notebookapp.NotebookApp' },
        'spawner.http_timeout': 30,
        ...settings,
      },
    });
    const level = (process.env['BULWARK_TEST_LOG'] ?? 'silent') as 'silent';
    const handle = await startPlatform(config, { logger: logger ?? createLogger({ level, pretty: false }) });
    return {
      handle,
      url: handle.hub.url,
      channelUrl: handle.channelUrl,
      dataDir: temp.path,
      async close() {
        try {
          await handle.close({ stopServers: true });
        } finally {
          temp.remove();
        }
      },
    };
  } catch (error) {
    temp.remove();
    throw error;
  }
}
