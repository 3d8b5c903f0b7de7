import { PassThrough, Readable } from 'node:stream';
import { loadCommands } from '../../../src/cli/commands/index.js';
import { runCli } from '../../../src/cli/dispatch.js';
import type { TestChannel } from '../../helpers/test-channel.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bulwark …` in-process against the test channel's database and blob directory. */
export async function bulwark(channel: TestChannel, cwd: string, ...argv: string[]): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const settings = ['--set', `hub.data_dir=${channel.dataDir}/state`, '--set', `channel.data_dir=${channel.dataDir}/channel`, '--set', `log.audit_file=${channel.dataDir}/audit.log`];
  const code = await runCli([...argv, ...settings], await loadCommands(argv[0]), { stdout, stderr, stdin: Readable.from([]), env: {}, cwd, interactive: false });
  return { code, stdout: out, stderr: err };
}
