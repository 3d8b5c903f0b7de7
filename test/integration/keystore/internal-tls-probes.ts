import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';

/** GET over https with the given TLS options: the status, or a rejection when the handshake fails. */
export function get(url: string, options: RequestOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, ...options }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The environment a process was started with, from /proc. */
export function environOf(pid: number): Map<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return new Map(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

/** Removes a `user` key from the session keyring, if the test got as far as storing it. */
export function removeKeyringEntry(description: string): void {
  try {
    const id = execFileSync('keyctl', ['search', '@u', 'user', description], { stdio: 'pipe' }).toString().trim();
    execFileSync('keyctl', ['unlink', id, '@u'], { stdio: 'pipe' });
  } catch {
    // Not there (the test failed before the hub stored it).
  }
}

/** How a TLS server's refusal of a client certificate shows on the client side. */
export const refusedHandshake = /certificate required|unknown ca|socket hang up|ECONNRESET|alert|EPIPE/i;
