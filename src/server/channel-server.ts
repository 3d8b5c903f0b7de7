import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ArtifactStore } from '../channel/artifacts/artifact-store.js';
import type { ChannelContext } from '../channel/channel-context.js';
import type { BulwarkConfig } from '../config/index.js';
import { BulwarkError } from '../errors/index.js';
import { openKeystore, reloadOnSighup, watchCertificateExpiry, type LoadedKeystore } from '../keystore/index.js';
import type { Logger } from '../log/index.js';
import { composeChannel } from './channel-composition.js';
import { assertSafeBind, parseBindUrl } from './listen-address.js';
import { openServices, type CoreServices } from './services.js';

export interface ChannelHandle {
  /** Origin with the real port, e.g. http://127.0.0.1:41234 (the channel lives at url + base_path). */
  url: string;
  port: number;
  app: FastifyInstance<Server>;
  services: CoreServices;
  context: ChannelContext;
  /** Runs one integrity pass now (tests; the schedule does this on its own). */
  verifyNow(): Promise<void>;
  close(): Promise<void>;
}

export interface StartChannelOptions {
  logger: Logger;
  /** Replaces the filesystem blob store. */
  store?: ArtifactStore;
}

/**
 * The composition root of `bulwark channel serve`: config -> services -> blob store -> channel
 * app -> listener, plus the integrity schedule. Leftovers of uploads interrupted by a crash are
 * swept before the first request.
 */
export async function startChannel(config: Readonly<BulwarkConfig>, options: StartChannelOptions): Promise<ChannelHandle> {
  const address = parseBindUrl(config.channel.bind_url, 'channel.bind_url');
  const keystoreUri = config.channel.tls.keystore;
  if (address.tls && keystoreUri === null) throw new BulwarkError('KEYSTORE_NOT_CONFIGURED', { key: 'channel.bind_url' });
  // As for the hub: a configured keystore means TLS, whatever scheme bind_url names.
  assertSafeBind({ ...address, tls: keystoreUri !== null }, config.channel.insecure_http, 'channel.bind_url');
  const { logger } = options;
  // Proven (test handshake) before the data directory is touched or anything listens.
  let servedTls: LoadedKeystore | null = null;
  const openTls = async () => (servedTls = await openKeystore(keystoreUri ?? '', config.channel.tls, logger));
  const keystore = keystoreUri === null ? null : await openTls();
  const services = await openServices(config, { logger });
  try {
    let tlsServer: HttpsServer | undefined;
    const serveTls = (handler: (req: IncomingMessage, res: ServerResponse) => void): Server => {
      tlsServer = createHttpsServer(keystore?.secureContext ?? {}, handler);
      // Fastify only needs the http.Server surface, which https.Server extends.
      return tlsServer as unknown as Server;
    };
    const { context, deps, app, verifyNow, stopSchedule } = await composeChannel(config, services, {
      basePath: config.channel.base_path,
      tls: keystore !== null,
      ...(options.store ? { store: options.store } : {}),
      ...(keystore ? { serverFactory: serveTls } : {}),
    });
    await app.listen({ host: address.host, port: address.port });
    const port = (app.server.address() as AddressInfo).port;
    const reachableHost = address.host === '0.0.0.0' || address.host === '::' ? '127.0.0.1' : address.host;
    const stopReload = tlsServer ? reloadOnSighup(tlsServer, openTls, logger) : () => {};
    const stopExpiryWatch = watchCertificateExpiry(() => servedTls, config.channel.tls, logger);
    const url = `${keystore ? 'https' : 'http'}://${reachableHost.includes(':') ? `[${reachableHost}]` : reachableHost}:${port}`;
    logger.info({ url: `${url}${deps.paths.base}`, data_dir: config.channel.data_dir, database: services.database.location }, 'channel listening');
    let closed = false;
    return {
      url,
      port,
      app,
      services,
      context,
      verifyNow,
      async close() {
        if (closed) return;
        closed = true;
        stopSchedule();
        stopReload();
        stopExpiryWatch();
        await app.close();
        await services.close();
      },
    };
  } catch (error) {
    await services.close();
    throw error;
  }
}
