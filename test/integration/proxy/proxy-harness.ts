import http, { type IncomingMessage, type RequestListener, type Server } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../../src/log/logger.js';
import { createFastFront } from '../../../src/proxy/fast-front.js';
import { createForwarder, type Forwarder, type ForwarderOptions } from '../../../src/proxy/forwarder.js';
import { createRouteTable, type RouteTable } from '../../../src/proxy/route-table.js';

/** Starts `server` on 127.0.0.1, port 0, and returns its base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg: string | undefined;
}

/** A Logger that keeps what it is given, so tests can check what was logged and how. */
export function recordingLogger(entries: LogEntry[] = []): Logger & { entries: LogEntry[] } {
  const at = (level: LogEntry['level']) => (obj: object, msg?: string) => {
    entries.push({ level, obj, msg });
  };
  const logger = { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

export interface Upstream {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** A real backend on loopback, standing in for jupyterhub-singleuser. */
export async function startUpstream(handler: RequestListener, onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): Promise<Upstream> {
  const server = http.createServer(handler);
  if (onUpgrade !== undefined) server.on('upgrade', onUpgrade);
  const url = await listen(server);
  return { server, url, close: () => closeServer(server) };
}

export interface TestProxy {
  url: string;
  port: number;
  table: RouteTable;
  forwarder: Forwarder;
  logger: ReturnType<typeof recordingLogger>;
  server: Server;
  /** Requests the fast front forwarded itself (0 in 'Node HTTP server' mode). */
  forwardedByFront(): number;
  close(): Promise<void>;
}

/**
 * The public listener as the hub will wire it: match the route, then forward. Unrouted requests get
 * a 404 here; in Bulwark the hub's default route takes them.
 */
/**
 * How the proxy's plain-HTTP listener reads requests: through the fast front (as `bulwark proxy`
 * does) or through Node's HTTP server alone (as TLS listeners and the hub do). Behaviour tests run
 * in both.
 */
export const frontModes = ['fast front', 'Node HTTP server'] as const;
export type FrontMode = (typeof frontModes)[number];

export async function startProxy(options: Partial<ForwarderOptions> = {}, server: Server = http.createServer(), mode: FrontMode = 'fast front'): Promise<TestProxy> {
  const logger = recordingLogger();
  const table = createRouteTable();
  const forwarder = createForwarder({ logger, ...options });
  let forwardedByFront = 0;
  const front =
    mode === 'fast front' && !(server instanceof https.Server)
      ? createFastFront({
          route: (url, host) => table.match(url, host),
          forward: (request, client, route) => forwarder.front(request, client, route),
          onForward: () => forwardedByFront++,
        })
      : undefined;
  front?.install(server);
  server.on('request', (req, res) => {
    if (front?.answerHandedOverFailure(req, (error) => forwarder.answerError(req, res, error)) === true) return;
    const route = table.match(req.url ?? '/', req.headers.host);
    if (route === undefined) {
      res.writeHead(404).end('no route');
      return;
    }
    forwarder.web(req, res, route);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const route = table.match(req.url ?? '/', req.headers.host);
    if (route === undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    forwarder.ws(req, socket, head, route);
  });
  const base = await listen(server);
  const port = (server.address() as AddressInfo).port;
  return {
    url: base.replace(/^http:/, server instanceof http.Server ? 'http:' : 'https:'),
    port,
    table,
    forwarder,
    logger,
    server,
    forwardedByFront: () => forwardedByFront,
    async close() {
      front?.close();
      forwarder.close();
      await closeServer(server);
    },
  };
}

/** Reads a whole response body as text. */
export async function bodyText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** One request through plain node:http (no pooling, so each test sees fresh connections). */
export function request(
  url: string,
  options: http.RequestOptions = {},
  body?: string | Buffer,
): Promise<{ res: IncomingMessage; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent: false, ...options }, (res) => {
      bodyText(res).then((text) => resolve({ res, text }), reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends bytes exactly as given (for headers node:http would refuse to send) and reads until close. */
export function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}
