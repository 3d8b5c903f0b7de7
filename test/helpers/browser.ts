import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; browser tests never download a browser of their own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Launches the system Chromium headless. A missing browser is a failure, not a skip: browser tests
 * are part of the suite, and a silently skipped one proves nothing. `extraArgs` adds switches, such
 * as --ignore-certificate-errors-spki-list to trust a test CA without touching any certificate store.
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: browser tests need Debian's Chromium. Run \`apt-get install -y chromium\` ` +
        '(scripts/setup.sh --test installs it). Do not use `playwright install`.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...chromiumArgs, ...extraArgs] });
}
