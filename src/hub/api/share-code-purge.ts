import type { HubDeps } from '../hub-deps.js';

/**
 * How often expired share codes are deleted: hourly, as JupyterHub purges its expiring rows
 * (tokens, OAuth codes, shares, share codes). Expired codes are refused and never listed
 * whether or not they have been purged, so there is no hurry.
 */
const PURGE_EVERY_MS = 3600 * 1000;

export interface ShareCodePurge {
  /** Purges once now, then hourly. */
  start(): Promise<void>;
  stop(): void;
}

export function createShareCodePurge(deps: Pick<HubDeps, 'shares' | 'clock' | 'logger'>): ShareCodePurge {
  let timer: NodeJS.Timeout | undefined;

  async function purge(): Promise<void> {
    const codes = deps.shares?.codes;
    if (!codes) return;
    try {
      const purged = await codes.purgeExpired(deps.clock().toISOString());
      if (purged > 0) deps.logger.debug({ purged }, 'purged expired share codes');
    } catch (error: unknown) {
      deps.logger.error({ err: error }, 'purging expired share codes failed');
    }
  }

  return {
    async start() {
      if (timer) return;
      timer = setInterval(() => void purge(), PURGE_EVERY_MS);
      timer.unref();
      await purge();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
