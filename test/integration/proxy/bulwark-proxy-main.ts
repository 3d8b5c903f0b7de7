// Entry point for tests: `bulwark proxy <args>` from the sources (see bulwark-proxy-process.ts).
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(['proxy', ...process.argv.slice(2)]);
