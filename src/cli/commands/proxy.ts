import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BulwarkConfig } from '../../config/index.js';
import { createServiceLogger } from '../service-logger.js';
import { ExitCode, writeLine, type Command, type CommandIo, type OptionSpec, type ParsedArgs } from '../command.js';
import { BulwarkError } from '../../errors/index.js';
import { startProxyServer, type ListenTarget, type ProxyServerOptions, type ServerTls } from '../../server/proxy-server.js';

const str = (description: string): OptionSpec => ({ type: 'string', description });
const flag = (description: string): OptionSpec => ({ type: 'boolean', description });

/** configurable-http-proxy's command line, flag for flag, so JupyterHub can start `bulwark proxy` as its proxy. */
const chpOptions: Record<string, OptionSpec> = {
  version: { type: 'boolean', short: 'V', description: 'Print the version and exit' },
  ip: str('Public-facing IP of the proxy ("" or "*" = all interfaces)'),
  port: str('Public-facing port of the proxy (default 8000)'),
  socket: str('Public-facing Unix socket (instead of --ip/--port)'),
  'ssl-key': str('TLS key file of the public listener (passphrase from CONFIGPROXY_SSL_KEY_PASSPHRASE)'),
  'ssl-cert': str('TLS certificate file of the public listener'),
  'ssl-keystore': str('Bulwark: keystore URI (pkcs11:, keyctl:, pkcs12:) of the public listener instead of --ssl-key/--ssl-cert; engine, module and HSTS from hub.tls'),
  'ssl-ca': str('CA file for client certificates of the public listener'),
  'ssl-dhparam': str('Diffie-Hellman parameters file'),
  'ssl-protocol': str('TLS protocol method name (e.g. TLSv1_2)'),
  'ssl-ciphers': str('TLS cipher list'),
  'ssl-allow-rc4': flag('Accepted for compatibility; RC4 is never offered'),
  'ssl-request-cert': flag('Request a client certificate on the public listener'),
  'ssl-reject-unauthorized': flag('Reject clients without a valid certificate'),
  'api-ip': str('IP of the route API (default 127.0.0.1)'),
  'api-port': str('Port of the route API (default --port + 1)'),
  'api-socket': str('Unix socket of the route API'),
  'api-ssl-key': str('TLS key file of the route API'),
  'api-ssl-cert': str('TLS certificate file of the route API'),
  'api-ssl-ca': str('CA file for client certificates of the route API'),
  'api-ssl-request-cert': flag('Request a client certificate on the route API'),
  'api-ssl-reject-unauthorized': flag('Reject API clients without a valid certificate'),
  'client-ssl-key': str('Client key used towards https targets'),
  'client-ssl-cert': str('Client certificate used towards https targets'),
  'client-ssl-ca': str('CA that signs the certificates of https targets'),
  'client-ssl-request-cert': flag('Accepted for compatibility (a client always presents its certificate)'),
  'client-ssl-reject-unauthorized': flag('Verify the certificates of https targets (the default unless --insecure)'),
  'default-target': str('Route / to this URL at start-up'),
  'error-target': str('Fetch error pages from <url>/<status>?url=<request url>'),
  'error-path': str('Directory with <status>.html and error.html error pages'),
  'redirect-port': str('Plain-HTTP port that redirects to https'),
  'redirect-to': str('Port the redirect points at (default 443)'),
  'pid-file': str('Write the process id to this file'),
  'no-x-forward': flag('Do not add X-Forwarded-* headers'),
  'no-prepend-path': flag("Do not put the target's path in front of the request path"),
  'no-include-prefix': flag('Cut the matched route prefix from the forwarded path'),
  'auto-rewrite': flag('Rewrite the host:port of redirects that point at a target'),
  'change-origin': flag("Send the target's host as Host"),
  'protocol-rewrite': str('Rewrite the scheme of redirects that point at a target (http or https)'),
  'custom-header': { type: 'string', multiple: true, description: 'Header "name: value" added to every forwarded request (repeatable)' },
  insecure: flag('Do not verify the certificates of https targets'),
  'host-routing': flag('Route on the Host header first (routes named /<host>/<path>)'),
  'metrics-ip': str('IP of the metrics listener (default all interfaces)'),
  'metrics-port': str('Port of the Prometheus /metrics listener (none by default)'),
  'metrics-socket': str('Unix socket of the metrics listener'),
  'log-level': str('debug, info, warn or error (default info)'),
  timeout: str('Idle timeout of client connections, ms'),
  'proxy-timeout': str('How long a target may stay silent, ms (default 300000)'),
  'keep-alive-timeout': str('Keep-alive timeout of the public listener, ms (default 5000)'),
  'storage-backend': str('Not supported: Bulwark keeps routes in memory, saved with --routes-file'),
  'routes-file': str('Save the route table to this JSON file and load it at start-up (proxy.routes_file)'),
};

function text(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}

function integer(args: ParsedArgs, name: string): number | undefined {
  const value = text(args, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new BulwarkError('PROXY_BAD_OPTION', { option: `--${name}`, reason: `"${value}" is not a whole number` });
  return n;
}

function file(args: ParsedArgs, name: string): Buffer | undefined {
  const path = text(args, name);
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    throw new BulwarkError('PROXY_BAD_OPTION', { option: `--${name}`, reason: (error as Error).message });
  }
}

function tlsFrom(args: ParsedArgs, prefix: string, passphrase: string | undefined, keystore = false): ServerTls | undefined {
  const key = file(args, `${prefix}key`);
  const cert = file(args, `${prefix}cert`);
  if (keystore && (key !== undefined || cert !== undefined)) {
    throw new BulwarkError('PROXY_BAD_OPTION', { option: '--ssl-keystore', reason: 'give either --ssl-keystore or --ssl-key/--ssl-cert' });
  }
  if (key === undefined && cert === undefined && !keystore) return undefined;
  const tls: ServerTls = { key, cert, ca: file(args, `${prefix}ca`), passphrase };
  if (args.options[`${prefix}request-cert`] === true) tls.requestCert = true;
  tls.rejectUnauthorized = args.options[`${prefix}reject-unauthorized`] === true;
  const dhparam = prefix === 'ssl-' ? file(args, 'ssl-dhparam') : undefined;
  if (dhparam !== undefined) tls.dhparam = dhparam;
  const ciphers = text(args, 'ssl-ciphers');
  if (ciphers !== undefined) tls.ciphers = ciphers;
  const protocol = text(args, 'ssl-protocol');
  if (protocol !== undefined) tls.secureProtocol = `${protocol}_method`;
  return tls;
}

function customHeaders(args: ParsedArgs): Record<string, string> {
  const headers: Record<string, string> = {};
  const given = args.options['custom-header'];
  for (const header of Array.isArray(given) ? given : []) {
    const colon = header.indexOf(':');
    if (colon <= 0) throw new BulwarkError('PROXY_BAD_OPTION', { option: '--custom-header', reason: `"${header}" has no "name: value" colon` });
    headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
  }
  return headers;
}

function listenTarget(args: ParsedArgs, prefix: string, defaultHost: string | undefined, defaultPort: number | undefined): ListenTarget | undefined {
  const socket = text(args, `${prefix}socket`);
  if (socket !== undefined) return { socket };
  const port = integer(args, `${prefix}port`) ?? defaultPort;
  if (port === undefined) return undefined;
  return { host: text(args, `${prefix}ip`) ?? defaultHost, port };
}

/** The proxy's settings from CHP's flags and environment; config fills what flags leave open. */
export function proxyOptionsFromArgs(args: ParsedArgs, env: Readonly<Record<string, string | undefined>>, routesFile: string | null, configToken: string | null): ProxyServerOptions {
  if (text(args, 'storage-backend') !== undefined) {
    throw new BulwarkError('PROXY_BAD_OPTION', { option: '--storage-backend', reason: 'pluggable stores are not supported; use --routes-file' });
  }
  const port = integer(args, 'port') ?? 8000;
  const listen = listenTarget(args, '', undefined, 8000) ?? { host: undefined, port };
  const api = listenTarget(args, 'api-', '127.0.0.1', port + 1) ?? { host: '127.0.0.1', port: port + 1 };
  const redirectPort = integer(args, 'redirect-port');
  const keystore = text(args, 'ssl-keystore');
  const ssl = tlsFrom(args, 'ssl-', keystore === undefined ? env['CONFIGPROXY_SSL_KEY_PASSPHRASE'] : undefined, keystore !== undefined);
  if (redirectPort !== undefined && ssl === undefined) {
    throw new BulwarkError('PROXY_BAD_OPTION', { option: '--redirect-port', reason: 'needs --ssl-key and --ssl-cert (or --ssl-keystore)' });
  }
  const insecure = args.options['insecure'] === true;
  const client = { key: file(args, 'client-ssl-key'), cert: file(args, 'client-ssl-cert'), ca: file(args, 'client-ssl-ca') };
  return {
    listen,
    api,
    metrics: listenTarget(args, 'metrics-', undefined, undefined),
    authToken: env['CONFIGPROXY_AUTH_TOKEN'] ?? configToken ?? undefined,
    defaultTarget: text(args, 'default-target'),
    errorTarget: text(args, 'error-target'),
    errorPath: text(args, 'error-path'),
    hostRouting: args.options['host-routing'] === true,
    ssl,
    ...(keystore === undefined ? {} : { keystore }),
    apiSsl: tlsFrom(args, 'api-ssl-', env['CONFIGPROXY_API_SSL_KEY_PASSPHRASE']),
    redirect: redirectPort === undefined ? undefined : { port: redirectPort, to: integer(args, 'redirect-to') },
    clientTimeoutMs: integer(args, 'timeout'),
    keepAliveTimeoutMs: integer(args, 'keep-alive-timeout'),
    routesFile: text(args, 'routes-file') ?? routesFile ?? undefined,
    pidFile: text(args, 'pid-file'),
    forwarding: {
      timeoutMs: integer(args, 'proxy-timeout'),
      xForwarded: args.options['no-x-forward'] !== true,
      customHeaders: customHeaders(args),
      changeOrigin: args.options['change-origin'] === true,
      paths: { includePrefix: args.options['no-include-prefix'] !== true, prependPath: args.options['no-prepend-path'] !== true },
      redirects: { autoRewrite: args.options['auto-rewrite'] === true, protocol: text(args, 'protocol-rewrite') },
      upstreamTls: { ...client, rejectUnauthorized: !insecure },
    },
  };
}

/** What `bulwark proxy` takes from the Bulwark config. */
export interface ProxyConfig {
  proxy: Pick<BulwarkConfig['proxy'], 'routes_file' | 'auth_token'>;
  log: Pick<BulwarkConfig['log'], 'level' | 'format'>;
  /** hub.tls; only read when the public listener serves TLS. */
  tls: BulwarkConfig['hub']['tls'] | undefined;
}

/** log.level's values (src/config/sections/log.ts); proxy.test.ts checks the two agree. */
export const proxyLogLevels: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Environment variables with the config prefix that are not config keys (src/config/sources.ts). */
const nonConfigEnv = new Set(['BULWARK_RUN_SOURCES', 'BULWARK_TEST_LOG']);

/**
 * Whether the config loader has anything to read. Without a config file, BULWARK_* variables,
 * --set, public TLS (hub.tls) or a --log-level the schema would have to reject, every setting is a
 * schema default, and the loader (zod and yaml, ~18 MB of a ~70 MB proxy) is not loaded at all.
 */
export function proxyNeedsConfig(args: ParsedArgs, io: Pick<CommandIo, 'env' | 'cwd'>): boolean {
  const level = text(args, 'log-level');
  return (
    args.options['config'] !== undefined ||
    args.options['set'] !== undefined ||
    Object.keys(io.env).some((name) => name.startsWith('BULWARK_') && !nonConfigEnv.has(name) && io.env[name] !== undefined) ||
    existsSync(resolve(io.cwd, 'bulwark.yaml')) ||
    ['ssl-key', 'ssl-cert', 'ssl-keystore'].some((name) => args.options[name] !== undefined) ||
    (level !== undefined && !proxyLogLevels.includes(level))
  );
}

/** The proxy's share of the config: loaded when there is one, else the schema defaults (proxy.test.ts compares them). */
export async function proxyConfig(args: ParsedArgs, io: Pick<CommandIo, 'env' | 'cwd'>): Promise<ProxyConfig> {
  if (proxyNeedsConfig(args, io)) {
    const { loadCommandConfig } = await import('../common-options.js');
    const { config } = loadCommandConfig(args, io);
    return {
      proxy: { routes_file: config.proxy.routes_file, auth_token: config.proxy.auth_token },
      log: { level: config.log.level, format: config.log.format },
      tls: config.hub.tls,
    };
  }
  const level = (text(args, 'log-level') ?? 'info') as BulwarkConfig['log']['level'];
  return { proxy: { routes_file: null, auth_token: null }, log: { level, format: 'auto' }, tls: undefined };
}

/** Resolves when SIGTERM or SIGINT arrives. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve(signal);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

/** `bulwark proxy`: the standalone, configurable-http-proxy-compatible proxy. */
export const proxyCommands: Command[] = [
  {
    path: ['proxy'],
    usage: 'proxy [--ip IP] [--port N] [--api-ip IP] [--api-port N] [--default-target URL] [--error-target URL] [configurable-http-proxy flags\u2026]',
    summary: 'Start the standalone proxy: configurable-http-proxy flags and REST API (token from CONFIGPROXY_AUTH_TOKEN)',
    options: chpOptions,
    async run(args, io) {
      if (args.options['version'] === true) {
        writeLine(io.stdout, '5.3.0');
        return ExitCode.ok;
      }
      const config = await proxyConfig(args, io);
      const options = proxyOptionsFromArgs(args, io.env, config.proxy.routes_file, config.proxy.auth_token);
      const logger = createServiceLogger(config).child({ component: 'proxy' });
      const proxy = await startProxyServer({ ...options, ...(config.tls === undefined ? {} : { tlsSettings: config.tls }) }, { logger });
      const signal = await untilSignal();
      logger.info({ signal }, 'shutting down');
      await proxy.close();
      return ExitCode.ok;
    },
  },
];
