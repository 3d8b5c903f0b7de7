import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a process without blocking the event loop (the channel under test runs in this process,
 * so a synchronous spawn would deadlock it) and with a hard timeout.
 */
export function run(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Fails (never skips) when a client the tests drive is missing. */
export function requireTool(path: string, what: string): string {
  if (!existsSync(path)) throw new Error(`${what} not found at ${path}: run scripts/setup.sh --test`);
  return path;
}

export const TWINE = '/usr/bin/twine';
export const DEBIAN_PYTHON = '/usr/bin/python3';
export const DEBIAN_WHEELS = ['pip-23.0.1-py3-none-any.whl', 'setuptools-66.1.1-py3-none-any.whl', 'wheel-0.38.4-py3-none-any.whl'].map((name) => `/usr/share/python-wheels/${name}`);

/** An environment for pip and twine with the machine's own configuration shut out. */
export function isolatedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PIP_') && !key.startsWith('TWINE_') && !key.startsWith('PYTHON')) env[key] = value;
  }
  return { ...env, PIP_CONFIG_FILE: '/dev/null', PIP_NO_INPUT: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONNOUSERSITE: '1', ...extra };
}

/** `twine upload` of files to `<channel>/legacy/` with a token. */
export function twineUpload(channelUrl: string, token: string, files: readonly string[], extraArgs: readonly string[] = []): Promise<ProcessResult> {
  requireTool(TWINE, 'twine (Debian package twine)');
  return run(TWINE, ['upload', '--non-interactive', '--disable-progress-bar', '--repository-url', `${channelUrl}legacy/`, '-u', '__token__', '-p', token, ...extraArgs, ...files], {
    env: isolatedEnv({ HOME: '/nonexistent' }),
  });
}

/** A fresh virtual environment of `python`; returns its python. */
export async function makeVenv(python: string, dir: string): Promise<string> {
  requireTool(python, `Python interpreter`);
  const result = await run(python, ['-m', 'venv', dir], { env: isolatedEnv() });
  if (result.code !== 0) throw new Error(`venv with ${python} failed: ${result.stderr}`);
  return join(dir, 'bin', 'python');
}

/** `pip install` from our index only, isolated, hash-checked, wheels only. */
export function pipInstall(venvPython: string, indexUrl: string, requirements: string, workDir: string): Promise<ProcessResult> {
  const file = join(workDir, 'requirements.txt');
  writeFileSync(file, requirements);
  return run(venvPython, ['-m', 'pip', 'install', '--isolated', '--no-cache-dir', '--index-url', indexUrl, '--require-hashes', '--only-binary', ':all:', '-r', file], {
    env: isolatedEnv(),
  });
}

/** The pip version a venv python runs. */
export async function pipVersion(venvPython: string): Promise<string> {
  const result = await run(venvPython, ['-m', 'pip', '--version'], { env: isolatedEnv() });
  return /^pip (\S+)/.exec(result.stdout)?.[1] ?? 'unknown';
}
