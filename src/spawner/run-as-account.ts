import { spawn } from 'node:child_process';
import { identitySwitchArgs, setprivPath } from './identity-switch.js';
import { OutputTail } from './output-tail.js';
import type { PasswdEntry } from './passwd-entry.js';

export interface AccountRunOptions {
  /** The complete environment (nothing of the hub's own is passed on). */
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
  /** Written to the command's stdin, then stdin is closed. */
  input?: string;
  /** Each complete output line (stdout and stderr), e.g. for spawn progress. */
  onLine?: (line: string) => void;
}

export interface AccountRunResult {
  ok: boolean;
  /** `exit code 1`, `killed by SIGTERM`, `timed out after 600 s`. */
  status: string;
  /** stdout of the command, whole (callers use this for small answers such as JSON). */
  stdout: string;
  /** The last lines of stdout and stderr together: what a failure message quotes. */
  tail: string;
}

/**
 * Runs a command as the person (setpriv, like their server), in a process group of its own that
 * is killed whole when the time is up. Used for everything the hub does in a person's home or
 * with their interpreter: running either as root would let the person's files decide what root does.
 */
export function runAsAccount(account: Pick<PasswdEntry, 'name' | 'gid'>, argv: readonly string[], options: AccountRunOptions): Promise<AccountRunResult> {
  return new Promise((resolve) => {
    const child = spawn(setprivPath, [...identitySwitchArgs(account), ...argv], {
      env: options.env,
      cwd: options.cwd,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const tail = new OutputTail(30);
    let stdout = '';
    let timedOut = false;
    const onChunk = (stream: string) => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (stream === 'out' && stdout.length < 1_000_000) stdout += text;
      for (const line of tail.push(text, stream)) options.onLine?.(line);
    };
    child.stdout.on('data', onChunk('out'));
    child.stderr.on('data', onChunk('err'));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }, options.timeoutMs);
    child.stdin.on('error', () => {}); // a command that never reads its input closes the pipe early
    child.stdin.end(options.input ?? '');
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, status: error.message, stdout, tail: tail.text() });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      for (const line of tail.flush()) options.onLine?.(line);
      const status = timedOut ? `timed out after ${Math.round(options.timeoutMs / 1000)} s` : code !== null ? `exit code ${code}` : `killed by ${signal ?? 'a signal'}`;
      resolve({ ok: code === 0 && !timedOut, status, stdout, tail: tail.text() });
    });
  });
}
