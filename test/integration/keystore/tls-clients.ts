import { execFile } from 'node:child_process';
import { request, type RequestOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';

export interface HttpsAnswer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  protocol: string | null;
  cipher: string;
}

/** One request with Node's https client, trusting only `ca`. */
export function httpsGet(url: string, ca: string, options: Pick<RequestOptions, 'headers' | 'method' | 'agent'> = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, agent: false, ...options }, (res) => {
      const socket = res.socket as TLSSocket;
      const protocol = socket.getProtocol();
      const cipher = socket.getCipher().name;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers, protocol, cipher }));
    });
    req.on('error', reject);
    req.end();
  });
}

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end();
  });
}

/** `curl --cacert CA --tlsv1.3`: status line and body, or the failure. */
export async function curlGet(url: string, caPath: string): Promise<{ code: number; status: string; body: string; stderr: string }> {
  const result = await run('curl', ['-sS', '--cacert', caPath, '--tlsv1.3', '-w', '\n%{http_code}', url]);
  const lines = result.stdout.split('\n');
  return { code: result.code, status: lines.pop() ?? '', body: lines.join('\n'), stderr: result.stderr };
}

/** `openssl s_client -brief` handshake: returns its summary (protocol, verification). */
export async function sClient(port: number, caPath: string): Promise<string> {
  const result = await run('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', caPath, '-verify_return_error', '-brief', '-verify_ip', '127.0.0.1']);
  return `${result.stdout}\n${result.stderr}`;
}
