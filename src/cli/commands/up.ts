import { hubListenerOptions, loadCommandConfig } from '../common-options.js';
import { createServiceLogger } from '../service-logger.js';
import { ExitCode, type Command } from '../command.js';
import { runUntilStopped } from '../run-until-stopped.js';
import { redactConfig } from '../../config/index.js';
import { startPlatform } from '../../server/platform-server.js';

export const upCommands: Command[] = [
  {
    path: ['up'],
    usage: 'up [--config FILE] [--bind-url URL] [--data-dir DIR] [--db-url URL] [--insecure-http]',
    summary: 'Start the whole platform: the hub with the package channel at /channel/ on one listener (default http://127.0.0.1:8000)',
    options: hubListenerOptions,
    async run(args, io) {
      const { config, file } = loadCommandConfig(args, io);
      const logger = createServiceLogger(config);
      logger.info({ file: file ?? null, config: redactConfig(config) }, 'configuration loaded');
      const platform = await startPlatform(config, { logger });
      const hubUrl = `${platform.hub.url}${config.hub.base_url}hub/`;
      const lines = [
        `Bulwark is up.`,
        `  hub:      ${hubUrl}`,
        `  channel:  ${platform.channelUrl}  (pip index: ${platform.channelUrl}simple/)`,
      ];
      if (platform.separateChannelUrl) lines.push(`  channel also at ${platform.separateChannelUrl}`);
      const admins = (await platform.hub.services.users.list()).filter((user) => user.admin);
      if (admins.length === 0) {
        lines.push(
          '',
          'No admin exists yet. Create the first one with',
          '  bin/bulwark user add admin --admin',
          `or open the one-time setup link the hub logs as setup_url, then log in at ${hubUrl}login`,
        );
      }
      io.stdout.write(`${lines.join('\n')}\n`);
      await runUntilStopped(platform, logger);
      return ExitCode.ok;
    },
  },
];
