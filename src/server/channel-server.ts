import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildChannelApp } from '../channel/app.js';
import type { ArtifactStore } from '../channel/artifacts/artifact-store.js';
import { createChannelContext, type ChannelContext } from '../channel/channel-context.js';
import type { ChannelDeps } from '../channel/channel-deps.js';
import { channelPaths } from '../channel/channel-paths.js';
import { scheduleVerification } from '../channel/integrity/verification-schedule.js';
import type { BulwarkConfig } from '../config/index.js';
import { BulwarkError } from '../errors/index.js';
import type { Logger } from '../log/index.js';
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
 * The composition root of `bulwark channel serve`: config → services → blob store → channel
 * app → listener, plus the integrity schedule. Leftovers of uploads interrupted by a crash are
 * swept before the first request.
 */
export async function startChannel(config: Readonly<BulwarkConfig>, options: StartChannelOptions): Promise<ChannelHandle> {
  const address = parseBindUrl(config.channel.bind_url, 'channel.bind_url');
  assertSafeBind(address, config.channel.insecure_http, 'channel.bind_url');
  if (address.tls) throw new BulwarkError('CONFIG_INVALID', { detail: 'channel.bind_url: TLS is not available in this release yet; put the channel behind the hub or a TLS proxy' });
  const { logger } = options;
  const services = await openServices(config, { logger });
  try {
    const context = createChannelContext({ config: config.channel, db: services.database.db, audit: services.audit, clock: services.clock, logger, ...(options.store ? { store: options.store } : {}) });
    const swept = await context.store.sweepStaging();
    if (swept > 0) logger.warn({ swept }, 'removed staged uploads left by an earlier crash');
    const deps: ChannelDeps = {
      ...context,
      config: config.channel,
      logger,
      tokens: services.tokens,
      paths: channelPaths(config.channel.base_path),
      tls: false,
    };
    const app = await buildChannelApp(deps);
    const schedule = scheduleVerification({ ...context, audit: services.audit, logger, clock: services.clock }, config.channel.verify_interval_hours);
    await app.listen({ host: address.host, port: address.port });
    const port = (app.server.address() as AddressInfo).port;
    const reachableHost = address.host === '0.0.0.0' || address.host === '::' ? '127.0.0.1' : address.host;
    const url = `http://${reachableHost.includes(':') ? `[${reachableHost}]` : reachableHost}:${port}`;
    logger.info({ url: `${url}${deps.paths.base}`, data_dir: config.channel.data_dir, database: services.database.location }, 'channel listening');
    let closed = false;
    return {
      url,
      port,
      app,
      services,
      context,
      verifyNow: () => schedule.runOnce(),
      async close() {
        if (closed) return;
        closed = true;
        schedule.stop();
        await app.close();
        await services.close();
      },
    };
  } catch (error) {
    await services.close();
    throw error;
  }
}
