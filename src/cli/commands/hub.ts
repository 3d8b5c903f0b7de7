import { hubListenerOptions, loadCommandConfig } from '../common-options.js';
import { createServiceLogger } from '../service-logger.js';
import { ExitCode, type Command } from '../command.js';
import { runUntilStopped } from '../run-until-stopped.js';
import { redactConfig } from '../../config/index.js';
import { startHub } from '../../server/hub-server.js';

export const hubCommands: Command[] = [
  {
    path: ['hub'],
    usage: 'hub [--config FILE] [--bind-url URL] [--data-dir DIR] [--db-url URL] [--insecure-http]',
    summary: 'Start the hub: login, spawner and proxy on one listener (default http://127.0.0.1:8000)',
    options: hubListenerOptions,
    async run(args, io) {
      const { config, file } = loadCommandConfig(args, io);
      const logger = createServiceLogger(config);
      logger.info({ file: file ?? null, config: redactConfig(config) }, 'configuration loaded');
      const hub = await startHub(config, { logger });
      io.stdout.write(`Bulwark hub running at ${hub.url}${config.hub.base_url}hub/\n`);
      await runUntilStopped(hub, logger);
      return ExitCode.ok;
    },
  },
];
