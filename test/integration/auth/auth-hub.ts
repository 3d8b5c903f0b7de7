import { PassThrough } from 'node:stream';
import { loadConfig } from '../../../src/config/index.js';
import { createLogger } from '../../../src/log/index.js';
import { startHub, type HubHandle } from '../../../src/server/hub-server.js';
import type { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

export interface AuthHub {
  handle: HubHandle;
  url: string;
  dataDir: string;
  /** Every log line the hub wrote, as parsed JSON. */
  logs: Array<Record<string, unknown>>;
  /** Stops the hub and keeps the data directory (for restart tests). */
  stop(): Promise<void>;
  /** Stops the hub and removes the data directory. */
  close(): Promise<void>;
}

/** A hub on 127.0.0.1:0 with its log captured; pass `dataDir` to start again on the same data. */
export async function startAuthHub(settings: Record<string, unknown> = {}, dataDir?: string): Promise<AuthHub> {
  const temp = dataDir === undefined ? makeTempDir('bulwark-auth-') : { path: dataDir, remove: () => undefined };
  const { config } = loadConfig({ env: {}, flags: { 'hub.bind_url': 'http://127.0.0.1:0', 'hub.data_dir': temp.path, ...settings } });
  const logs: Array<Record<string, unknown>> = [];
  const stream = new PassThrough();
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  const handle = await startHub(config, { logger: createLogger({ level: 'info', pretty: false }, stream) });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await handle.close({ stopServers: true });
  };
  return {
    handle,
    url: handle.url,
    dataDir: temp.path,
    logs,
    stop,
    async close() {
      await stop();
      if (dataDir === undefined) temp.remove();
    },
  };
}

export async function signup(client: BrowserLikeClient, fields: Record<string, string>) {
  return client.submitForm('/hub/signup', '/hub/signup', fields);
}

export function signupFields(name: string, password: string, extra: Record<string, string> = {}): Record<string, string> {
  return { username: name, signup_password: password, signup_password_confirmation: password, ...extra };
}

export async function login(client: BrowserLikeClient, name: string, password: string, otp = '') {
  return client.submitForm('/hub/login', '/hub/login', { username: name, password, ...(otp ? { otp } : {}) });
}

export async function makeUser(hub: AuthHub, name: string, password: string, admin = false) {
  return hub.handle.services.users.create({ name, password, admin, authorized: true }, { name: null });
}
