import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Logger } from '../log/logger.js';
import type { LaunchPlan } from './launch-plan.js';
import { OutputTail } from './output-tail.js';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running child process with its output being logged and its tail kept. */
export interface LaunchedServer {
  readonly pid: number;
  readonly child: ChildProcess;
  readonly output: OutputTail;
  /** Set once the process has exited. */
  readonly exitStatus: () => ExitStatus | null;
  readonly exited: Promise<ExitStatus>;
  /** Resolves when the output pipes have closed, or after `graceMs` (kernels may hold them open). */
  outputClosed(graceMs: number): Promise<void>;
}

/** The shell convention: the exit code, or 128 + the signal number when killed by a signal. */
export function exitStatusNumber(status: ExitStatus): number {
  if (status.code !== null) return status.code;
  const number = status.signal === null ? undefined : constants.signals[status.signal];
  return number === undefined ? 0 : 128 + number;
}

export function describeExitStatus(status: ExitStatus): string {
  return status.code !== null ? `exit code ${status.code}` : `killed by ${status.signal ?? 'an unknown signal'}`;
}

/**
 * Starts the process in a new session (detached), so the hub's terminal signals never reach it and
 * the whole group can be signalled at stop. stdin is /dev/null: the classic notebook asks for
 * confirmation on SIGINT only when stdin is a terminal, and stop relies on SIGINT shutting it down.
 * Resolves once the process exists; rejects when it cannot be created.
 */
export function launchServer(
  plan: LaunchPlan,
  options: { cwd: string; env: Record<string, string>; logger: Logger },
): Promise<LaunchedServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(plan.file, plan.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = new OutputTail();
    let status: ExitStatus | null = null;
    const exited = new Promise<ExitStatus>((resolveExit) => {
      child.once('exit', (code, signal) => {
        status = { code, signal };
        resolveExit(status);
      });
    });
    const closed = new Promise<void>((resolveClosed) => child.once('close', () => resolveClosed()));
    for (const stream of ['stdout', 'stderr'] as const) {
      const pipe = child[stream];
      if (pipe === null) continue;
      pipe.setEncoding('utf8');
      pipe.on('data', (chunk: string) => {
        for (const line of output.push(chunk, stream)) options.logger.info({ stream }, line);
      });
    }
    child.once('close', () => {
      for (const line of output.flush()) options.logger.info({}, line);
    });
    child.once('error', (error) => {
      if (child.pid === undefined) reject(error);
      else options.logger.warn({ err: error }, 'server process error');
    });
    child.once('spawn', () => {
      const pid = child.pid;
      if (pid === undefined) {
        reject(new Error('the process has no pid'));
        return;
      }
      resolve({
        pid,
        child,
        output,
        exitStatus: () => status,
        exited,
        outputClosed: (graceMs) =>
          Promise.race([closed, new Promise<void>((r) => setTimeout(r, graceMs).unref())]),
      });
    });
  });
}
