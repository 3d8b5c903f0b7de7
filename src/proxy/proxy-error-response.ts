import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { BulwarkError } from '../errors/index.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function wantsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

/** Browsers get a small page, API clients the catalog's JSON body `{status, code, message}`. */
function renderBody(req: IncomingMessage, error: BulwarkError): { type: string; body: string } {
  if (!wantsHtml(req)) return { type: 'application/json; charset=utf-8', body: JSON.stringify(error.toJSON()) };
  const title = `${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`;
  const body =
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(error.message)}</p>` +
    `<p><code>${escapeHtml(error.code)}</code></p></body></html>`;
  return { type: 'text/html; charset=utf-8', body };
}

const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

/** Answers a proxied HTTP request that could not be forwarded. */
export function writeProxyError(req: IncomingMessage, res: ServerResponse, error: BulwarkError): void {
  if (res.headersSent) {
    // Part of the backend's answer is already on the wire; cutting the connection is the only
    // honest signal left.
    res.destroy();
    return;
  }
  const { type, body } = renderBody(req, error);
  res.writeHead(error.status, {
    ...securityHeaders,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** The same answer as raw bytes, for an upgrade request, where there is only a socket. */
export function rawProxyErrorResponse(req: IncomingMessage, error: BulwarkError): string {
  const { type, body } = renderBody(req, error);
  const lines = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
    ...Object.entries(securityHeaders).map(([name, value]) => `${name}: ${value}`),
    `content-type: ${type}`,
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
