import type { AuditLog, Logger } from '../../log/index.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { ChannelCatalog } from '../catalog/channel-catalog.js';
import { verifyFiles } from './verify-files.js';

export interface VerificationSchedule {
  /** Runs one pass now (also what the timer calls). */
  runOnce(): Promise<void>;
  stop(): void;
}

/**
 * Re-hashes files whose last check is older than the interval, checking every tenth of it, so
 * silent disk corruption is found within one interval. Failures are audited: they change what
 * users can install.
 */
export function scheduleVerification(deps: { catalog: ChannelCatalog; store: ArtifactStore; audit: AuditLog; logger: Logger; clock: () => Date }, intervalHours: number): VerificationSchedule {
  const intervalMs = intervalHours * 3600 * 1000;
  let running: Promise<void> | undefined;
  const runOnce = async () => {
    const before = new Date(deps.clock().getTime() - intervalMs).toISOString();
    const due = await deps.catalog.filesDueForVerification(before);
    const results = await verifyFiles({ ...deps, now: () => deps.clock().toISOString() }, due);
    for (const result of results.filter((r) => r.status !== 'ok')) {
      deps.logger.error({ file: result.filename, status: result.status, expected: result.expected, actual: result.actual }, 'stored file failed its integrity check');
      await deps.audit.record({ name: null }, { action: 'channel.integrity', target: result.filename, outcome: 'failure', detail: { ...result } });
    }
  };
  const tick = () => {
    running ??= runOnce()
      .catch((error: unknown) => deps.logger.error({ err: error }, 'integrity check pass failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = intervalMs > 0 ? setInterval(tick, Math.max(60_000, intervalMs / 10)) : undefined;
  timer?.unref();
  return {
    runOnce,
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}
