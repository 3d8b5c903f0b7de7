import { execFile } from 'node:child_process';
import { BulwarkError } from '../errors/index.js';

export interface ToolResult {
  ok: boolean;
  stdout: Buffer;
  stderr: string;
}

export interface ToolOptions {
  env?: NodeJS.ProcessEnv;
  /**
   * Bytes for the tool's stdin. They go through `cat |`: Node gives a child a socket as stdin,
   * which tools that open /dev/stdin by name (pkcs11-tool --write-object) cannot reopen.
   */
  input?: Buffer | string;
}

/**
 * Runs a system tool (keyctl, pkcs11-tool) with no shell, capturing stdout as bytes so key
 * material passes through a pipe only. A missing binary is KEYSTORE_TOOL_MISSING naming the package.
 */
export function runTool(uri: string, tool: string, args: readonly string[], debianPackage: string, options: ToolOptions = {}): Promise<ToolResult> {
  const { env, input } = options;
  const [file, argv] = input === undefined ? [tool, args] : ['sh', ['-c', 'command -v "$1" >/dev/null || exit 127; cat | "$@"', 'sh', tool, ...args]];
  return new Promise((resolve, reject) => {
    const child = execFile(file, argv, { encoding: 'buffer', maxBuffer: 1 << 20, timeout: 30_000, ...(env ? { env } : {}) }, (error, stdout, stderr) => {
      // A spawn failure has a string code (ENOENT); a finished child its exit status (127: sh found no tool).
      const code: unknown = (error as { code?: unknown } | null)?.code;
      if (code === 'ENOENT' || (input !== undefined && code === 127)) {
        reject(new BulwarkError('KEYSTORE_TOOL_MISSING', { uri, tool, reason: 'not found on PATH', package: debianPackage }));
        return;
      }
      resolve({ ok: error === null, stdout, stderr: stderr.toString('utf8').trim() });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
