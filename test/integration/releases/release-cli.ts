import { channelSettings, runBulwarkInProcess, type CliResult } from '../../helpers/in-process-cli.js';
import type { TestChannel } from '../../helpers/test-channel.js';

export type { CliResult };

/** Runs `bulwark …` in-process against the test channel's database and blob directory. */
export function bulwark(channel: TestChannel, cwd: string, ...argv: string[]): Promise<CliResult> {
  return runBulwarkInProcess([...argv, ...channelSettings(channel.dataDir)], { cwd });
}
