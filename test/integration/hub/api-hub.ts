import { cliActor } from '../../../src/log/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { createLogger } from '../../../src/log/index.js';
import { startHub, type HubHandle } from '../../../src/server/hub-server.js';
import type { Spawner } from '../../../src/spawner/spawner.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

export interface ApiHub {
  handle: HubHandle;
  url: string;
  /** A token for `name` (created if missing) with the given scopes; default: everything the owner has. */
  token(name: string, scopes?: string[], options?: { admin?: boolean }): Promise<string>;
  /** fetch against the hub with `Authorization: token …`. */
  api(path: string, token: string | undefined, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** Starts the hub in-process on port 0 with a throwaway data directory and the given spawner. */
export async function startApiHub(settings: Record<string, unknown>, spawner?: Spawner): Promise<ApiHub> {
  const temp = makeTempDir('bulwark-api-');
  const { config } = loadConfig({
    env: {},
    flags: { 'hub.bind_url': 'http://127.0.0.1:0', 'hub.data_dir': temp.path, 'spawner.http_timeout': 30, ...settings },
  });
  const level = (process.env['BULWARK_TEST_LOG'] ?? 'silent') as 'silent';
  const handle = await startHub(config, { logger: createLogger({ level, pretty: false }), ...(spawner ? { spawner } : {}) });
  const { users, tokens } = handle.services;
  return {
    handle,
    url: handle.url,
    async token(name, scopes, options = {}) {
      const owner = (await users.get(name)) ?? (await users.create({ name, admin: options.admin ?? false, authorized: true }, cliActor));
      return (await tokens.create({ owner, note: 'test', ...(scopes ? { scopes } : {}) }, cliActor)).token;
    },
    async api(path, token, init = {}) {
      const { json, ...rest } = init;
      const headers: Record<string, string> = { ...(token ? { authorization: `token ${token}` } : {}), ...((rest.headers as Record<string, string>) ?? {}) };
      if (json !== undefined) headers['content-type'] ??= 'application/json';
      return fetch(`${handle.url}${path}`, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    },
    async close() {
      await handle.close({ stopServers: true });
      temp.remove();
    },
  };
}
