import { channelSettings, runBulwarkInProcess, type CliResult } from '../../helpers/in-process-cli.js';
import type { TestChannel } from '../../helpers/test-channel.js';

/** Runs `bulwark …` in-process against a test channel's database and blob directory. */
export function channelCli(channel: TestChannel, settings: readonly string[], ...argv: string[]): Promise<CliResult> {
  const extra = settings.flatMap((setting) => ['--set', setting]);
  return runBulwarkInProcess([...argv, ...channelSettings(channel.dataDir), ...extra], { cwd: channel.dataDir });
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
