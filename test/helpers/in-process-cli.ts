import { PassThrough, Readable } from 'node:stream';
import { loadCommands } from '../../src/cli/commands/index.js';
import { runCli } from '../../src/cli/dispatch.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bulwark …` in this process with captured output, no terminal and an empty environment. */
export async function runBulwarkInProcess(argv: readonly string[], options: { cwd: string }): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await runCli(argv, await loadCommands(argv[0]), { stdout, stderr, stdin: Readable.from([]), env: {}, cwd: options.cwd, interactive: false });
  return { code, stdout: out, stderr: err };
}

/** The `--set` flags that point a command at a test channel's database, blobs and audit file. */
export function channelSettings(dataDir: string): string[] {
  return ['--set', `hub.data_dir=${dataDir}/state`, '--set', `channel.data_dir=${dataDir}/channel`, '--set', `log.audit_file=${dataDir}/audit.log`];
}
