import type { IncomingHttpHeaders } from 'node:http';
import { isFieldValue, isToken } from './field-syntax.js';

/**
 * A strict reader for the one request shape the fast front serves itself: GET, HEAD or OPTIONS,
 * origin-form target, HTTP/1.1, a Host, no body and no upgrade, every header on its own line at
 * most once. Anything else (or anything unusual about these) is not an error here: the scanner
 * answers undefined and the connection goes to Node's own HTTP parser, which keeps the final say on
 * what is valid HTTP. Accepting only messages that cannot be read two ways is what keeps request
 * smuggling out: no Content-Length, no Transfer-Encoding, no folded or duplicated lines.
 */

export interface ScannedRequest {
  method: 'GET' | 'HEAD' | 'OPTIONS';
  url: string;
  /** Lower-case names, one value each (no name repeats), like IncomingMessage.headers. */
  headers: IncomingHttpHeaders;
  /** The client did not ask for the connection to close. */
  keepAlive: boolean;
}

/** More header lines than a browser sends by far; such requests are left to Node. */
const maxHeaderLines = 100;

/** Headers whose presence means a body, an upgrade or an interim answer: never on the fast path. */
const refused = new Set(['content-length', 'transfer-encoding', 'upgrade', 'expect', 'http2-settings']);

/** The request target: origin-form, visible ASCII only. */
function isOriginForm(text: string, start: number, end: number): boolean {
  if (end <= start || text.charCodeAt(start) !== 0x2f) return false;
  for (let i = start + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

function methodOf(head: string): ScannedRequest['method'] | undefined {
  if (head.startsWith('GET ')) return 'GET';
  if (head.startsWith('HEAD ')) return 'HEAD';
  if (head.startsWith('OPTIONS ')) return 'OPTIONS';
  return undefined;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** Does a Connection value name `wanted` (a lower-case token)? */
function namesToken(value: string, wanted: string): boolean {
  const lower = value.toLowerCase();
  if (!lower.includes(wanted)) return false;
  for (const part of lower.split(',')) if (part.trim() === wanted) return true;
  return false;
}

/**
 * Reads `head`: a request's bytes up to, not including, the blank line that ends its head, as a
 * latin1 string. Undefined means "not for the fast path", never "invalid".
 */
export function scanRequestHead(head: string): ScannedRequest | undefined {
  const method = methodOf(head);
  if (method === undefined) return undefined;
  let eol = head.indexOf('\r\n');
  if (eol === -1) eol = head.length;
  const targetStart = method.length + 1;
  const targetEnd = eol - 9;
  // `<target> HTTP/1.1` with exactly one space each side of the target.
  if (targetEnd <= targetStart || head.charCodeAt(targetEnd) !== 0x20 || !head.startsWith('HTTP/1.1', targetEnd + 1)) return undefined;
  if (!isOriginForm(head, targetStart, targetEnd)) return undefined;
  // A plain object, as Node builds IncomingMessage.headers (a null-prototype one is a slow dictionary).
  const headers: IncomingHttpHeaders = {};
  let keepAlive = true;
  let lines = 0;
  while (eol < head.length) {
    if (++lines > maxHeaderLines) return undefined;
    const start = eol + 2;
    eol = head.indexOf('\r\n', start);
    if (eol === -1) eol = head.length;
    const colon = head.indexOf(':', start);
    if (colon === -1 || colon >= eol || !isToken(head, start, colon)) return undefined;
    let valueStart = colon + 1;
    let valueEnd = eol;
    while (valueStart < valueEnd && isWhitespace(head.charCodeAt(valueStart))) valueStart++;
    while (valueEnd > valueStart && isWhitespace(head.charCodeAt(valueEnd - 1))) valueEnd--;
    // A bare CR or LF inside a line would be read differently by other parsers: not ours to judge.
    if (!isFieldValue(head, valueStart, valueEnd)) return undefined;
    const name = head.slice(start, colon).toLowerCase();
    // `__proto__` cannot be an own property of a plain object; Node's parser decides what it means.
    if (headers[name] !== undefined || refused.has(name) || name === '__proto__') return undefined;
    const value = head.slice(valueStart, valueEnd);
    if (name === 'connection') {
      if (namesToken(value, 'upgrade')) return undefined;
      if (namesToken(value, 'close')) keepAlive = false;
    }
    headers[name] = value;
  }
  if (headers.host === undefined) return undefined;
  return { method, url: head.slice(targetStart, targetEnd), headers, keepAlive };
}
