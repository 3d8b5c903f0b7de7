import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where scripts/setup.sh --test installs the real configurable-http-proxy 5.x for comparison. */
export const chpBinary = fileURLToPath(new URL('../../../.tmp/chp/node_modules/.bin/configurable-http-proxy', import.meta.url));

/** The real CHP's command line; fails with the install command when it is missing. */
export function chpCommand(): string[] {
  if (!existsSync(chpBinary)) {
    throw new Error(
      `configurable-http-proxy is not installed at ${chpBinary}; run scripts/setup.sh --test ` +
        '(or: npm install --prefix .tmp/chp configurable-http-proxy@5)',
    );
  }
  return [process.execPath, chpBinary];
}
