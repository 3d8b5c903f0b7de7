import { readFileSync } from 'node:fs';
import type { BulwarkConfig } from '../config/index.js';
import { BulwarkError } from '../errors/index.js';
import { createHttpPackageChannelLink } from '../hub/servers/http-package-channel-link.js';
import type { PackageChannelLink } from '../hub/servers/package-channel-link.js';
import { readSecretReference } from '../keystore/secret-reference.js';
import type { Logger } from '../log/index.js';

/**
 * Which channel servers' pip is bound to: spawner.package_channel_url when set (a channel
 * elsewhere), else the one the composition root mounted (`bulwark up`). With package_channel set
 * and neither, the hub refuses to start (after `cleanup`), naming spawner.package_channel_url; so
 * it does when the CA or the read token (spawner.package_channel_token) cannot be read, so that a
 * missing credential shows at start-up rather than as pip's 401 in every notebook.
 */
export async function choosePackageChannel(
  config: Readonly<BulwarkConfig>,
  extension: { packageChannel?: PackageChannelLink },
  logger: Logger,
  cleanup: () => Promise<void>,
): Promise<PackageChannelLink | undefined> {
  const spawner = config.spawner;
  if (spawner.package_channel === null) return undefined;
  try {
    if (spawner.package_channel_url !== null) {
      const caPem = spawner.package_channel_ca === null ? null : readCa(spawner.package_channel_ca);
      const token = spawner.package_channel_token === null ? null : await readToken(spawner.package_channel_token, logger);
      return createHttpPackageChannelLink({ url: spawner.package_channel_url, caPem, token });
    }
    if (extension.packageChannel) return extension.packageChannel;
    throw new BulwarkError('SPAWNER_PACKAGE_CHANNEL_MISSING', { channel: spawner.package_channel });
  } catch (error) {
    logger.error({ err: error }, 'cannot bind servers to the package channel');
    await cleanup();
    throw error;
  }
}

/** The read token for a channel elsewhere, from where spawner.package_channel_token says it is kept. */
async function readToken(reference: string, logger: Logger): Promise<string> {
  try {
    const { value, warnings } = await readSecretReference(reference);
    for (const warning of warnings) logger.warn({ key: 'spawner.package_channel_token' }, warning);
    return value;
  } catch (error) {
    throw new BulwarkError('SPAWNER_PACKAGE_CHANNEL_TOKEN_UNAVAILABLE', { source: reference, reason: (error as Error).message }, { cause: error });
  }
}

function readCa(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new BulwarkError('CONFIG_INVALID', { detail: `spawner.package_channel_ca: cannot read ${path}: ${(error as Error).message}` });
  }
}
