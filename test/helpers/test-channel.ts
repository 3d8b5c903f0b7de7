import { loadConfig } from '../../src/config/index.js';
import type { User } from '../../src/identity/index.js';
import { cliActor, createLogger, type Logger } from '../../src/log/index.js';
import { startChannel, type ChannelHandle } from '../../src/server/channel-server.js';
import { makeTempDir } from './temp-dir.js';

export interface TestChannel {
  handle: ChannelHandle;
  /** The channel's root URL including the base path, e.g. http://127.0.0.1:41234/ */
  url: string;
  /** `<url>simple/` */
  indexUrl: string;
  dataDir: string;
  /** Creates a token for an admin user (admins hold channel:admin) limited to `scopes`. */
  token(scopes: string[]): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the real channel in-process on 127.0.0.1 port 0 with a throwaway data directory
 * (database and blobs). Settings are dotted config paths, as `--set` takes them; vetting is off
 * unless a test turns it on, so uploads are served at once. BULWARK_TEST_LOG=debug shows the log.
 */
export async function startTestChannel(settings: Record<string, unknown> = {}, logger?: Logger): Promise<TestChannel> {
  const temp = makeTempDir('bulwark-channel-');
  try {
    const { config } = loadConfig({
      env: {},
      flags: {
        'hub.data_dir': `${temp.path}/state`,
        'channel.bind_url': 'http://127.0.0.1:0',
        'channel.data_dir': `${temp.path}/channel`,
        'channel.policy.require_vetting': false,
        'log.audit_file': `${temp.path}/audit.log`,
        ...settings,
      },
    });
    const level = (process.env['BULWARK_TEST_LOG'] ?? 'silent') as 'silent';
    const handle = await startChannel(config, { logger: logger ?? createLogger({ level, pretty: false }) });
    const url = `${handle.url}${config.channel.base_path}`;
    let publisher: User | undefined;
    return {
      handle,
      url,
      indexUrl: `${url}simple/`,
      dataDir: temp.path,
      async token(scopes) {
        publisher ??= await handle.services.users.create({ name: 'publisher', admin: true, authorized: true }, cliActor);
        const { token } = await handle.services.tokens.create({ owner: publisher, scopes, note: 'test' }, cliActor);
        return token;
      },
      async close() {
        try {
          await handle.close();
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
