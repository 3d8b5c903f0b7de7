import type { Readable, Writable } from 'node:stream';

/** Exit codes every command uses: 0 ok, 1 failure, 2 bad usage or bad config. */
export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface CommandIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Whether stdin is a terminal (prompts are refused otherwise). */
  interactive: boolean;
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  description: string;
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean | string[] | undefined>;
}

/** One leaf command, e.g. `bulwark user add`. */
export interface Command {
  /** Words after `bulwark`, e.g. ['user', 'add']. */
  path: readonly string[];
  usage: string;
  summary: string;
  options?: Readonly<Record<string, OptionSpec>>;
  run(args: ParsedArgs, io: CommandIo): Promise<ExitCode>;
}

export function writeLine(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}
