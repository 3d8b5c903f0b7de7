import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { BulwarkError } from '../errors/index.js';
import type { CommandIo } from './command.js';

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks once on the terminal without echoing what is typed. */
function promptHidden(question: string, input: Readable, output: Writable): Promise<string> {
  return new Promise((resolvePrompt) => {
    const rl = createInterface({ input, output, terminal: true });
    const internals = rl as unknown as { _writeToOutput?: (text: string) => void };
    rl.question(question, (answer) => {
      rl.close();
      output.write('\n');
      resolvePrompt(answer);
    });
    internals._writeToOutput = () => undefined;
  });
}

/**
 * The password for `user add` / `user passwd`: the first line of stdin with --password-stdin
 * (for scripts), else a hidden prompt typed twice. Never from an argument, where `ps` would show it.
 */
export async function readNewPassword(io: CommandIo, fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    const text = await readAll(io.stdin);
    const password = text.split(/\r?\n/)[0] ?? '';
    if (password === '') throw new BulwarkError('CLI_USAGE', { detail: '--password-stdin got an empty password' });
    return password;
  }
  if (!io.interactive) {
    throw new BulwarkError('CLI_USAGE', { detail: 'no terminal to prompt on; pass the password with --password-stdin' });
  }
  const first = await promptHidden('New password: ', io.stdin, io.stderr);
  const second = await promptHidden('Repeat password: ', io.stdin, io.stderr);
  if (first !== second) throw new BulwarkError('CLI_USAGE', { detail: 'the two passwords differ' });
  if (first === '') throw new BulwarkError('CLI_USAGE', { detail: 'empty password' });
  return first;
}
