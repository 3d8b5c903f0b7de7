import { execFile } from 'node:child_process';
import { BulwarkError } from '../errors/index.js';

export interface ToolResult {
  ok: boolean;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs a system tool (keyctl, pkcs11-tool) with no shell, capturing stdout as bytes so key
 * material passes through a pipe only. A missing binary is KEYSTORE_TOOL_MISSING naming the package.
 */
export function runTool(uri: string, tool: string, args: readonly string[], debianPackage: string, env?: NodeJS.ProcessEnv): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { encoding: 'buffer', maxBuffer: 1 << 20, timeout: 30_000, ...(env ? { env } : {}) }, (error, stdout, stderr) => {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      if (code === 'ENOENT') {
        reject(new BulwarkError('KEYSTORE_TOOL_MISSING', { uri, tool, reason: 'not found on PATH', package: debianPackage }));
        return;
      }
      resolve({ ok: error === null, stdout, stderr: stderr.toString('utf8').trim() });
    });
  });
}
