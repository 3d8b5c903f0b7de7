import type { Clock } from '../../identity/index.js';
import type { Actor, AuditLog } from '../../log/index.js';
import type { ChannelCatalog } from '../catalog/channel-catalog.js';
import type { FileRecord, FileState } from '../catalog/file-record.js';

/** The audit action of a move into each state. */
const ACTIONS: Record<FileState, string> = {
  quarantined: 'channel.quarantine',
  vetted: 'channel.vet',
  rejected: 'channel.reject',
  approved: 'channel.approve',
};

/** Why a file moves, and whether a person decided it (re-vetting respects a person's decision). */
export interface TransitionCause {
  reason: string;
  manual?: boolean;
  detail?: Record<string, unknown>;
}

/**
 * The only way a file changes state: the row remembers the last move (who, when, why) and
 * every move is an audit record with both states, so the history can be replayed.
 */
export class FileTransitions {
  constructor(private readonly deps: { catalog: ChannelCatalog; audit: AuditLog; clock: Clock }) {}

  async move(file: FileRecord, to: FileState, actor: Actor, cause: TransitionCause): Promise<FileRecord> {
    const now = this.deps.clock().toISOString();
    await this.deps.catalog.setState([file.id], to, actor.name, now, { reason: cause.reason, manual: cause.manual === true });
    await this.deps.audit.record(actor, {
      action: ACTIONS[to],
      target: file.filename,
      detail: { from: file.state, to, reason: cause.reason, sha256: file.sha256, ...cause.detail },
    });
    return {
      ...file,
      state: to,
      stateReason: cause.reason,
      stateChangedAt: now,
      stateChangedBy: actor.name,
      stateManual: cause.manual === true,
      approvedAt: to === 'approved' ? now : null,
      approvedBy: to === 'approved' ? actor.name : null,
    };
  }
}
