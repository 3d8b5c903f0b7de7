import type { Server } from 'node:http';
import type { FastifyInstance, FastifyServerFactory } from 'fastify';
import { buildChannelApp } from '../channel/app.js';
import type { ArtifactStore } from '../channel/artifacts/artifact-store.js';
import { createChannelContext, type ChannelContext } from '../channel/channel-context.js';
import type { ChannelDeps } from '../channel/channel-deps.js';
import { channelPaths } from '../channel/channel-paths.js';
import { scheduleVerification } from '../channel/integrity/verification-schedule.js';
import type { BulwarkConfig } from '../config/index.js';
import type { CoreServices } from './services.js';

export interface ChannelComposition {
  context: ChannelContext;
  deps: ChannelDeps;
  app: FastifyInstance<Server>;
  /** Runs one integrity pass now (tests; the schedule does this on its own). */
  verifyNow(): Promise<void>;
  /** Stops the integrity schedule (the app and services are closed by their owners). */
  stopSchedule(): void;
}

export interface ComposeChannelOptions {
  /** Path prefix of every channel route, e.g. '/channel/' under the hub. */
  basePath: string;
  /** Whether clients reach the channel over TLS (HSTS, Secure cookies). */
  tls: boolean;
  store?: ArtifactStore;
  /** Serve the app from listeners the caller owns instead of Fastify's own. */
  serverFactory?: FastifyServerFactory;
}

/**
 * Builds the channel on open services: context (catalog, blob store, publisher, releases), the app
 * and the integrity schedule. Uploads left half-done by a crash are swept before the first request.
 */
export async function composeChannel(config: Readonly<BulwarkConfig>, services: CoreServices, options: ComposeChannelOptions): Promise<ChannelComposition> {
  const { logger } = services;
  const context = createChannelContext({
    config: config.channel,
    db: services.database.db,
    audit: services.audit,
    clock: services.clock,
    logger,
    ...(options.store ? { store: options.store } : {}),
  });
  const swept = await context.store.sweepStaging();
  if (swept > 0) logger.warn({ swept }, 'removed staged uploads left by an earlier crash');
  const deps: ChannelDeps = {
    ...context,
    config: config.channel,
    logger,
    tokens: services.tokens,
    paths: channelPaths(options.basePath),
    tls: options.tls,
  };
  const app = await buildChannelApp(deps, options.serverFactory ? { serverFactory: options.serverFactory } : {});
  const schedule = scheduleVerification({ ...context, audit: services.audit, logger, clock: services.clock }, config.channel.verify_interval_hours);
  return { context, deps, app, verifyNow: () => schedule.runOnce(), stopSchedule: () => schedule.stop() };
}
