import { execFileSync } from 'node:child_process';

/**
 * Runs `command args…` with `input` on a real pipe as stdin. Node hands children a socket for
 * stdin, which tools cannot open again as /dev/stdin (ENXIO); `cat |` puts a pipe in between, so
 * test keys can be fed to openssl and pkcs11-tool without ever being written to a file.
 */
export function pipedExec(command: string, args: readonly string[], input: string | Buffer, env: NodeJS.ProcessEnv = process.env): Buffer {
  return execFileSync('sh', ['-c', 'cat | "$@"', 'sh', command, ...args], { input, env, stdio: ['pipe', 'pipe', 'pipe'] });
}
