import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ServerTlsClient } from './server-tls.js';

export type HttpWaitResult = { ready: true; status: number } | { ready: false; reason: 'timeout' | 'aborted' };

export interface HttpWaitOptions {
  /** Give up after this many milliseconds. */
  timeoutMs: number;
  /** Stops waiting at once, e.g. when the process exits or the overall start deadline passes. */
  signal?: AbortSignal;
  /** First pause between attempts; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** For https URLs (hub.internal_tls): the client certificate to present and the only CA trusted. */
  tls?: ServerTlsClient;
}

/**
 * Polls `url` with GET until any answer below 500 arrives (JupyterHub's readiness rule: 302 and 404
 * count as "up"). Redirects are not followed: node's http client never does.
 */
export async function waitForHttp(url: string, options: HttpWaitOptions): Promise<HttpWaitResult> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = options.initialDelayMs ?? 50;
  const maxDelay = options.maxDelayMs ?? 1000;
  for (;;) {
    if (options.signal?.aborted) return { ready: false, reason: 'aborted' };
    const remaining = deadline - Date.now();
    if (remaining <= 0) return { ready: false, reason: 'timeout' };
    const status = await probe(url, Math.min(remaining, 5000), options.signal, options.tls);
    if (status !== null && status < 500) return { ready: true, status };
    const pause = Math.min(delay, deadline - Date.now());
    if (pause > 0) await sleep(pause, options.signal);
    delay = Math.min(delay * 2, maxDelay);
  }
}

/** One GET; the status, or null for "no usable answer" (refused, reset, slow). */
function probe(url: string, timeoutMs: number, signal?: AbortSignal, tls?: ServerTlsClient): Promise<number | null> {
  return new Promise((resolve) => {
    const send = url.startsWith('https:') ? httpsRequest : request;
    const options = { method: 'GET', timeout: timeoutMs, signal, agent: false, ...(tls ? { key: tls.key, cert: tls.cert, ca: tls.ca } : {}) };
    const req = send(url, options, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
