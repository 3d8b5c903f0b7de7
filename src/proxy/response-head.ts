import { isFieldValue, isToken } from './field-syntax.js';

/**
 * A minimal HTTP/1.x response-head parser for the raw backend connections of the fast forwarding
 * path. It only needs what a proxy needs: status, reason, the header list as sent (for relaying)
 * and the framing facts (length, chunked, keep-alive). Anything it does not understand is an error,
 * and the request fails with 502 as it would with Node's own parser.
 */

export interface ResponseHead {
  status: number;
  statusMessage: string;
  /** Flat [name, value, name, value, ...] list with the backend's spelling and order. */
  rawHeaders: string[];
  /** Content-Length, or -1 when absent. */
  contentLength: number;
  /** Transfer-Encoding ends in `chunked`. */
  chunked: boolean;
  /** Some other Transfer-Encoding: the body runs until the connection closes. */
  otherEncoding: boolean;
  /** The backend lets the connection be reused (HTTP/1.1 without `Connection: close`, or 1.0 with keep-alive). */
  keepAlive: boolean;
}

/** Error with the code Node's parser uses, so logging and status mapping treat both alike. */
function invalid(reason: string): Error {
  return Object.assign(new Error(`invalid response from backend: ${reason}`), { code: 'HPE_INVALID_RESPONSE' });
}

const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/;
const digits = /^\d+$/;


function hasToken(value: string, wanted: string): boolean {
  const lower = value.toLowerCase();
  // Usually `keep-alive` checked for `close`: no split when the token cannot be there.
  if (!lower.includes(wanted)) return false;
  for (const part of lower.split(',')) if (part.trim() === wanted) return true;
  return false;
}

/** Parses `head`: the bytes of a response up to, not including, the blank line that ends it. */
export function parseResponseHead(head: string): ResponseHead {
  // Lines are walked with indexOf instead of split(): no array of line strings per response.
  let eol = head.indexOf('\r\n');
  if (eol === -1) eol = head.length;
  const status = statusLine.exec(head.slice(0, eol));
  if (status === null) throw invalid('bad status line');
  // Control characters (a bare CR or LF left inside a line by the CRLF split, NUL) relayed to a
  // client could split the response: refused, as Node's ServerResponse refuses to write them.
  if (status[3] !== undefined && !isFieldValue(status[3], 0, status[3].length)) throw invalid('control character in the reason phrase');
  const minor = status[1];
  const result: ResponseHead = {
    status: Number(status[2]),
    statusMessage: status[3] ?? '',
    rawHeaders: [],
    contentLength: -1,
    chunked: false,
    otherEncoding: false,
    keepAlive: minor === '1',
  };
  let connection = '';
  while (eol < head.length) {
    const start = eol + 2;
    eol = head.indexOf('\r\n', start);
    if (eol === -1) eol = head.length;
    const colon = head.indexOf(':', start);
    if (colon <= start || colon >= eol) throw invalid('header line without a name');
    const name = head.slice(start, colon);
    if (!isToken(name, 0, name.length)) throw invalid('bad header name');
    const value = head.slice(colon + 1, eol).trim();
    if (!isFieldValue(value, 0, value.length)) throw invalid(`control character in ${name}`);
    result.rawHeaders.push(name, value);
    switch (name.length === 10 || name.length === 14 || name.length === 17 ? name.toLowerCase() : '') {
      case 'connection':
        connection = connection === '' ? value : `${connection}, ${value}`;
        break;
      case 'content-length': {
        if (!digits.test(value)) throw invalid('bad Content-Length');
        const length = Number(value);
        if (result.contentLength !== -1 && result.contentLength !== length) throw invalid('conflicting Content-Length');
        result.contentLength = length;
        break;
      }
      case 'transfer-encoding': {
        // The last coding decides the framing (RFC 9112 section 6.3); chunked anywhere else is not HTTP.
        const codings = value.toLowerCase().split(',');
        const last = codings[codings.length - 1]?.trim();
        result.chunked = last === 'chunked';
        result.otherEncoding = !result.chunked;
        break;
      }
      default:
        break;
    }
  }
  if (connection !== '') {
    if (hasToken(connection, 'close')) result.keepAlive = false;
    else if (minor === '0' && hasToken(connection, 'keep-alive')) result.keepAlive = true;
  }
  return result;
}
