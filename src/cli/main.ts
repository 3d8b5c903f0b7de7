import { loadCommands } from './commands/index.js';
import { runCli } from './dispatch.js';

/** Entry point of `bin/bulwark`: real process streams in, exit code out. */
export async function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, await loadCommands(argv[0]), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    interactive: process.stdin.isTTY === true,
  });
}
