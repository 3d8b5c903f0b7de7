import { loadCommandConfig } from '../common-options.js';
import { ExitCode, type Command } from '../command.js';
import { redactConfig } from '../../config/index.js';
import { createLogger } from '../../log/index.js';
import { startHub } from '../../server/hub-server.js';

export const hubCommands: Command[] = [
  {
    path: ['hub'],
    usage: 'hub [--config FILE] [--bind-url URL] [--data-dir DIR] [--db-url URL] [--insecure-http]',
    summary: 'Start the hub: login, spawner and proxy on one listener (default http://127.0.0.1:8000)',
    options: {
      'bind-url': { type: 'string', description: 'Public URL to listen on (hub.bind_url)' },
      'data-dir': { type: 'string', description: 'State directory (hub.data_dir)' },
      'db-url': { type: 'string', description: 'Database URL (hub.db_url)' },
      'log-level': { type: 'string', description: 'Log level (log.level)' },
      'insecure-http': { type: 'boolean', description: 'Allow plain HTTP on a non-loopback address' },
    },
    async run(args, io) {
      const { config, file } = loadCommandConfig(args, io);
      const pretty = config.log.format === 'pretty' || (config.log.format === 'auto' && process.stderr.isTTY === true);
      const logger = createLogger({ level: config.log.level, pretty });
      logger.info({ file: file ?? null, config: redactConfig(config) }, 'configuration loaded');
      const hub = await startHub(config, { logger });
      io.stdout.write(`Bulwark hub running at ${hub.url}${config.hub.base_url}hub/\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          logger.info({ signal }, 'shutting down');
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          hub
            .close()
            .catch((error: unknown) => logger.error({ err: error }, 'error during shutdown'))
            .finally(resolve);
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
        // POST /hub/api/shutdown closes the hub from inside.
        void hub.closed.then(() => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          resolve();
        });
      });
      return ExitCode.ok;
    },
  },
];
