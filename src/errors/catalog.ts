import { channelErrors } from './codes/channel.js';
import { coreErrors } from './codes/core.js';
import { hubErrors } from './codes/hub.js';
import { keystoreErrors } from './codes/keystore.js';
import { proxyErrors } from './codes/proxy.js';
import { releaseErrors } from './codes/releases.js';
import { spawnerErrors } from './codes/spawner.js';
import { vettingErrors } from './codes/vetting.js';
import type { ErrorDefinition } from './error-definition.js';

/**
 * Every error Bulwark can report, by code. Each area keeps its codes in `codes/<area>.ts`; a code,
 * once released, is never reused for another meaning. docs/errors.md is checked against this
 * catalog by a test.
 */
export const errorCatalog = {
  ...coreErrors,
  ...hubErrors,
  ...spawnerErrors,
  ...proxyErrors,
  ...keystoreErrors,
  ...channelErrors,
  ...vettingErrors,
  ...releaseErrors,
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof errorCatalog;
