import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BulwarkConfig } from '../config/index.js';
import { BulwarkError } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import type { Spawner } from '../spawner/spawner.js';
import { createChannelAdminAdapter } from './channel-admin-adapter.js';
import { createChannelPackageLink } from './package-channel-adapter.js';
import { composeChannel, type ChannelComposition } from './channel-composition.js';
import { startHub, type HubHandle } from './hub-server.js';
import { assertSafeBind, parseBindUrl } from './listen-address.js';

export interface PlatformHandle {
  hub: HubHandle;
  /** The channel's public base URL on the hub's listener, e.g. http://127.0.0.1:8000/channel/ */
  channelUrl: string;
  /** Where single-user servers reach the channel: the hub's loopback origin when its public listener uses TLS. */
  serverChannelUrl: string;
  /** The channel's own listener (channel.separate_listener), e.g. http://127.0.0.1:8100/channel/, or null. */
  separateChannelUrl: string | null;
  channel: ChannelComposition;
  close(options?: { stopServers?: boolean }): Promise<void>;
  /** Settles once the platform has closed, also when POST /hub/api/shutdown asked for it. */
  closed: Promise<void>;
}

export interface StartPlatformOptions {
  logger: Logger;
  /** Replaces the local process spawner (tests of the platform's own logic). */
  spawner?: Spawner;
}

/** The classic notebook pages: Debian's single-user server otherwise serves jupyter_server's API only. */
const CLASSIC_NOTEBOOK_APP = 'notebook.notebookapp.NotebookApp';

/**
 * What `bulwark up` changes of the hub's defaults, so the README's first command is a usable
 * platform: notebook servers bound to the channel's approved packages unless a release is named,
 * and the classic notebook UI unless spawner.environment picks the app.
 */
export function platformDefaults(config: Readonly<BulwarkConfig>): Readonly<BulwarkConfig> {
  const spawner = config.spawner;
  const environment = 'JUPYTERHUB_SINGLEUSER_APP' in spawner.environment ? spawner.environment : { JUPYTERHUB_SINGLEUSER_APP: CLASSIC_NOTEBOOK_APP, ...spawner.environment };
  return Object.freeze({
    ...config,
    spawner: Object.freeze({ ...spawner, package_channel: spawner.package_channel ?? 'approved', environment: Object.freeze(environment) }),
  });
}

/** The channel's path prefix under `bulwark up`: `channel/` below the hub's base URL. */
export function platformChannelPath(config: Readonly<BulwarkConfig>): string {
  return `${config.hub.base_url}channel/`;
}

/**
 * The composition root of `bulwark up`: the hub with the package channel mounted at
 * `<base_url>channel/` on its public listener (and on the loopback listener single-user servers
 * use), both on one database and one identity store, so channel scopes are ordinary hub scopes.
 * With channel.separate_listener the same channel app also answers on channel.bind_url. The
 * hub's defaults change as `platformDefaults` says.
 */
export async function startPlatform(given: Readonly<BulwarkConfig>, options: StartPlatformOptions): Promise<PlatformHandle> {
  const config = platformDefaults(given);
  const basePath = platformChannelPath(config);
  const separateAddress = config.channel.separate_listener ? parseBindUrl(config.channel.bind_url, 'channel.bind_url') : null;
  if (separateAddress) {
    assertSafeBind(separateAddress, config.channel.insecure_http, 'channel.bind_url');
    if (separateAddress.tls) throw new BulwarkError('CONFIG_INVALID', { detail: 'channel.bind_url: the separate channel listener serves plain HTTP; use the hub listener for TLS' });
  }
  let composition: ChannelComposition | undefined;
  let separate: Server | undefined;
  let serverOrigin = () => '';
  const hub = await startHub(config, {
    logger: options.logger,
    ...(options.spawner ? { spawner: options.spawner } : {}),
    extend: async (services, addresses) => {
      serverOrigin = () => addresses.serverOrigin();
      let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
      // On the hub's listeners the channel answers with the hub's TLS settings (HSTS included).
      const mounted = { ...config, channel: { ...config.channel, tls: config.hub.tls } };
      const channel = await composeChannel(mounted, services, {
        basePath,
        tls: config.hub.tls.keystore !== null,
        // The hub's listeners call this handler for the channel's paths; this server never listens.
        serverFactory: (appHandler) => {
          handler = appHandler;
          return createServer(appHandler);
        },
      });
      composition = channel;
      await channel.app.ready();
      if (!handler) throw new Error('the channel app did not hand over its request handler');
      const channelHandler = handler;
      if (separateAddress) separate = await listenSeparately(channelHandler, separateAddress.host, separateAddress.port);
      return {
        mounts: [{ prefix: basePath, handler: channelHandler }],
        channelAdmin: createChannelAdminAdapter(channel.context),
        packageChannel: createChannelPackageLink(channel.context, addresses, basePath, config.channel.require_auth),
        close: async () => {
          channel.stopSchedule();
          separate?.closeAllConnections();
          separate?.close();
          await channel.app.close();
        },
      };
    },
  });
  if (!composition) throw new Error('the hub did not build the channel');
  const channelUrl = `${hub.url}${basePath}`;
  const separateChannelUrl = separate ? `${originOf(separate)}${basePath}` : null;
  options.logger.info({ channel: channelUrl, separate: separateChannelUrl }, 'channel mounted on the hub');
  return {
    hub,
    channelUrl,
    serverChannelUrl: `${serverOrigin()}${basePath}`,
    separateChannelUrl,
    channel: composition,
    closed: hub.closed,
    close: (closeOptions) => hub.close(closeOptions),
  };
}

async function listenSeparately(handler: (req: IncomingMessage, res: ServerResponse) => void, host: string, port: number): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

function originOf(server: Server): string {
  const address = server.address() as AddressInfo;
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
