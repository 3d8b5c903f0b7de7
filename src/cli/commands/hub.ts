import { hubListenerOptions, loadCommandConfig } from '../common-options.js';
import { ExitCode, type Command } from '../command.js';
import { runUntilStopped } from '../run-until-stopped.js';
import { redactConfig } from '../../config/index.js';
import { createLogger } from '../../log/index.js';
import { startHub } from '../../server/hub-server.js';

export const hubCommands: Command[] = [
  {
    path: ['hub'],
    usage: 'hub [--config FILE] [--bind-url URL] [--data-dir DIR] [--db-url URL] [--insecure-http]',
    summary: 'Start the hub: login, spawner and proxy on one listener (default http://127.0.0.1:8000)',
    options: hubListenerOptions,
    async run(args, io) {
      const { config, file } = loadCommandConfig(args, io);
      const pretty = config.log.format === 'pretty' || (config.log.format === 'auto' && process.stderr.isTTY === true);
      const logger = createLogger({ level: config.log.level, pretty });
      logger.info({ file: file ?? null, config: redactConfig(config) }, 'configuration loaded');
      const hub = await startHub(config, { logger });
      io.stdout.write(`Bulwark hub running at ${hub.url}${config.hub.base_url}hub/\n`);
      await runUntilStopped(hub, logger);
      return ExitCode.ok;
    },
  },
];
