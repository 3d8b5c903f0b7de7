import { loadCommandConfig } from '../common-options.js';
import { ExitCode, writeLine, type Command } from '../command.js';
import { redactConfig, renderExampleConfig } from '../../config/index.js';

export const configCommands: Command[] = [
  {
    path: ['config', 'generate'],
    usage: 'config generate',
    summary: 'Print a fully commented default bulwark.yaml',
    async run(_args, io) {
      io.stdout.write(renderExampleConfig());
      return ExitCode.ok;
    },
  },
  {
    path: ['config', 'check'],
    usage: 'config check [--config FILE] [--json]',
    summary: 'Validate the config (file, environment and flags); exit 2 naming every bad key',
    async run(args, io) {
      const { config, file } = loadCommandConfig(args, io);
      if (args.options['json'] === true) {
        writeLine(io.stdout, JSON.stringify({ valid: true, file: file ?? null, config: redactConfig(config) }, null, 2));
      } else {
        writeLine(io.stdout, `config ok${file ? ` (${file})` : ' (defaults and environment only)'}`);
      }
      return ExitCode.ok;
    },
  },
];
