import { parseArgs } from 'node:util';
// errors.js, not the config index: the index loads zod and yaml, which `bulwark proxy` avoids.
import { ConfigError, formatProblem } from '../config/errors.js';
import { isBulwarkError } from '../errors/index.js';
import { ExitCode, writeLine, type Command, type CommandIo, type OptionSpec, type ParsedArgs } from './command.js';
import { commonOptions } from './common-option-specs.js';
import { packageVersion } from './version.js';

function helpFor(command: Command): string {
  const options = { ...commonOptions, ...command.options };
  const lines = [`Usage: bulwark ${command.usage}`, '', command.summary, '', 'Options:'];
  for (const [name, spec] of Object.entries(options)) {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ' VALUE' : ''}`;
    lines.push(`  ${flag.padEnd(28)} ${spec.description}`);
  }
  return lines.join('\n');
}

function overview(commands: readonly Command[]): string {
  const lines = ['Usage: bulwark <command> [options]', '', 'Commands:'];
  for (const command of commands) lines.push(`  ${command.path.join(' ').padEnd(22)} ${command.summary}`);
  lines.push('', 'Every command takes --config FILE, --set key=value, --json and --help.');
  return lines.join('\n');
}

function findCommand(commands: readonly Command[], argv: readonly string[]): Command | undefined {
  let best: Command | undefined;
  for (const command of commands) {
    const matches = command.path.every((word, i) => argv[i] === word);
    if (matches && (!best || command.path.length > best.path.length)) best = command;
  }
  return best;
}

function parse(command: Command, argv: readonly string[]): ParsedArgs {
  const specs: Record<string, OptionSpec> = { ...commonOptions, ...command.options };
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      Object.entries(specs).map(([name, spec]) => [
        name,
        { type: spec.type, ...(spec.multiple ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}) },
      ]),
    ),
    allowPositionals: true,
    strict: true,
  });
  return { positionals, options: values as ParsedArgs['options'] };
}

/**
 * Runs one CLI invocation and returns its exit code. Errors become one clear line on stderr:
 * usage and config errors exit 2, anything else 1. Nothing here calls process.exit, so tests can
 * run commands in-process.
 */
export async function runCli(argv: readonly string[], commands: readonly Command[], io: CommandIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    writeLine(argv.length === 0 ? io.stderr : io.stdout, overview(commands));
    return argv.length === 0 ? ExitCode.usage : ExitCode.ok;
  }
  if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') {
    writeLine(io.stdout, `bulwark ${packageVersion()}`);
    return ExitCode.ok;
  }
  const command = findCommand(commands, argv);
  if (!command) {
    const group = commands.filter((c) => c.path[0] === argv[0]);
    // `bulwark keystore --help` asks for the group's commands: an answer, not a usage error.
    if (group.length > 0 && (argv[1] === '--help' || argv[1] === '-h')) {
      writeLine(io.stdout, overview(group));
      return ExitCode.ok;
    }
    writeLine(io.stderr, group.length > 0 ? overview(group) : `bulwark: unknown command "${argv[0]}"\n\n${overview(commands)}`);
    return ExitCode.usage;
  }
  let args: ParsedArgs;
  try {
    args = parse(command, argv.slice(command.path.length));
  } catch (error) {
    writeLine(io.stderr, `bulwark ${command.path.join(' ')}: ${(error as Error).message}\n\n${helpFor(command)}`);
    return ExitCode.usage;
  }
  if (args.options['help'] === true) {
    writeLine(io.stdout, helpFor(command));
    return ExitCode.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    return reportError(error, command, io);
  }
}

function reportError(error: unknown, command: Command, io: CommandIo): number {
  const prefix = `bulwark ${command.path.join(' ')}`;
  if (error instanceof ConfigError) {
    writeLine(io.stderr, `${prefix}: invalid configuration`);
    for (const problem of error.problems) writeLine(io.stderr, `  ${formatProblem(problem)}`);
    return ExitCode.usage;
  }
  if (isBulwarkError(error)) {
    writeLine(io.stderr, `${prefix}: ${error.message} [${error.code}]`);
    const usage = error.code === 'CLI_USAGE' || error.code === 'CONFIG_FILE_UNREADABLE' || error.code === 'CONFIG_INVALID';
    if (error.code === 'CLI_USAGE') writeLine(io.stderr, `\n${helpFor(command)}`);
    return usage || error.status === 400 ? ExitCode.usage : ExitCode.failure;
  }
  writeLine(io.stderr, `${prefix}: unexpected error: ${(error as Error).stack ?? String(error)}`);
  return ExitCode.failure;
}
