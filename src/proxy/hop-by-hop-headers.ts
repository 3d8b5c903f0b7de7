import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * Headers that describe one connection, not the message (RFC 9110 section 7.6.1; RFC 2616 section 13.5.1 lists
 * Keep-Alive, Proxy-Authenticate, Proxy-Authorization, TE, Trailer, Transfer-Encoding and Upgrade).
 * Proxy-Connection is not standard but old clients send it with the same meaning as Connection.
 */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const hopByHopLengths = new Set([...hopByHop].map((name) => name.length));

/** True for a lower-case header name that is hop-by-hop by definition (not counting Connection-named ones). */
export function isHopByHop(lowerName: string): boolean {
  return hopByHop.has(lowerName);
}

/** Header names listed in a Connection header; those are hop-by-hop for this message too. */
export function connectionTokens(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  // The usual values name no header (keep-alive is hop-by-hop anyway): nothing to split.
  if (value === 'keep-alive' || value === 'close' || value === 'Keep-Alive' || value === 'Close') return [];
  const joined = Array.isArray(value) ? value.join(',') : value;
  return joined
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== '');
}

export interface StripOptions {
  /**
   * Keep `Upgrade` and send `Connection: Upgrade`: a WebSocket handshake is the one case where the
   * next hop must see them, because the proxy hands the connection itself over.
   */
  keepUpgrade?: boolean;
}

/** A copy of `headers` without hop-by-hop headers; Node's lower-case header names are assumed. */
export function stripHopByHopHeaders(
  headers: IncomingHttpHeaders | OutgoingHttpHeaders,
  options: StripOptions = {},
): OutgoingHttpHeaders {
  // Hot path: one pass, no intermediate arrays; the Connection-named set only when there is one.
  const connection = headers.connection as string | string[] | undefined;
  const named = connection === undefined ? undefined : new Set(connectionTokens(connection));
  const keepUpgrade = options.keepUpgrade === true;
  const result: OutgoingHttpHeaders = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    const keep = keepUpgrade && lower === 'upgrade';
    if (!keep && (hopByHop.has(lower) || named?.has(lower) === true)) continue;
    result[lower] = value;
  }
  if (keepUpgrade && result.upgrade !== undefined) result.connection = 'Upgrade';
  return result;
}

/**
 * The same filter for Node's flat `rawHeaders` list ([name, value, name, value, ...]), used when a
 * response is written straight to a socket and names should keep the backend's spelling.
 */
export function stripHopByHopRawHeaders(raw: readonly string[], options: StripOptions = {}): string[] {
  // Hot path (every fast-path response): no Set unless a Connection header names other headers.
  let named: Set<string> | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (name.length === 10 && name.toLowerCase() === 'connection') {
      for (const token of connectionTokens(raw[i + 1])) (named ??= new Set()).add(token);
    }
  }
  const keepUpgrade = options.keepUpgrade === true;
  const result: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    // Most names cannot be hop-by-hop by their length alone: no lower-case copy for them.
    if (named === undefined && !hopByHopLengths.has(name.length)) {
      result.push(name, raw[i + 1] ?? '');
      continue;
    }
    const lower = name.toLowerCase();
    const keep = keepUpgrade && (lower === 'upgrade' || lower === 'connection');
    if (!keep && (hopByHop.has(lower) || named?.has(lower) === true)) continue;
    result.push(name, raw[i + 1] ?? '');
  }
  return result;
}
