import type { Clock } from '../../identity/index.js';
import type { AuditLog } from '../../log/index.js';
import type { ChannelCatalog } from '../catalog/channel-catalog.js';
import type { VettingReportStore } from '../vetting/report-store.js';
import type { WaiverStore } from '../vetting/waivers/waiver-store.js';
import type { FileTransitions } from './file-transitions.js';
import type { FileVetter } from './file-vetter.js';

/** What the review operations (vet, approve, reject, waive, status) work with. */
export interface ReviewDeps {
  catalog: ChannelCatalog;
  vetter: FileVetter;
  transitions: FileTransitions;
  waivers: WaiverStore;
  reports: VettingReportStore;
  audit: AuditLog;
  clock: Clock;
}
