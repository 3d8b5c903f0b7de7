import { PassThrough, Readable } from 'node:stream';
import { loadCommands } from '../../../src/cli/commands/index.js';
import { runCli } from '../../../src/cli/dispatch.js';
import type { TestChannel } from '../../helpers/test-channel.js';

/** Runs `bulwark …` in-process against a test channel's database and blob directory. */
export async function channelCli(channel: TestChannel, settings: readonly string[], ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const base = ['--set', `hub.data_dir=${channel.dataDir}/state`, '--set', `channel.data_dir=${channel.dataDir}/channel`, '--set', `log.audit_file=${channel.dataDir}/audit.log`];
  const extra = settings.flatMap((setting) => ['--set', setting]);
  const code = await runCli([...argv, ...base, ...extra], await loadCommands(argv[0]), { stdout, stderr, stdin: Readable.from([]), env: {}, cwd: channel.dataDir, interactive: false });
  return { code, stdout: out, stderr: err };
}

/** Uploads built wheels over twine's HTTP API; returns each response's JSON. */
export async function uploadWheels(channel: TestChannel, token: string, wheels: ReadonlyArray<{ filename: string; bytes: Buffer; sha256: string }>): Promise<Array<{ status: number; body: Record<string, unknown> }>> {
  const basic = `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}`;
  const out = [];
  for (const wheel of wheels) {
    const form = new FormData();
    form.append(':action', 'file_upload');
    form.append('sha256_digest', wheel.sha256);
    form.append('content', new Blob([wheel.bytes]), wheel.filename);
    const response = await fetch(`${channel.url}legacy/`, { method: 'POST', body: form, headers: { authorization: basic } });
    out.push({ status: response.status, body: (await response.json()) as Record<string, unknown> });
  }
  return out;
}
