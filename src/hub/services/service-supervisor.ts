import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../log/index.js';
import type { HubPaths } from '../paths.js';
import type { HubService, ServiceRegistry } from './service-registry.js';

/** Restart delays after a managed service exits: 1 s doubling to 30 s, reset after a minute up. */
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
const STABLE_MS = 60_000;

export interface ServiceSupervisor {
  /** Starts every managed service; `apiUrl` is where they reach the hub API. */
  start(apiUrl: string): void;
  stop(): Promise<void>;
}

/** The JUPYTERHUB_* environment of a managed service (JupyterHub's Service.start). */
export function serviceEnvironment(service: HubService, apiUrl: string, paths: HubPaths): Record<string, string> {
  const accessScopes = JSON.stringify([`access:services!service=${service.name}`]);
  return {
    JUPYTERHUB_SERVICE_NAME: service.name,
    JUPYTERHUB_API_TOKEN: service.apiToken ?? '',
    JPY_API_TOKEN: service.apiToken ?? '',
    JUPYTERHUB_API_URL: apiUrl,
    JUPYTERHUB_BASE_URL: paths.base,
    JUPYTERHUB_CLIENT_ID: service.clientId,
    JUPYTERHUB_SERVICE_PREFIX: service.prefix,
    JUPYTERHUB_SERVICE_URL: service.config.url ?? '',
    JUPYTERHUB_OAUTH_CALLBACK_URL: service.redirectUri,
    JUPYTERHUB_OAUTH_SCOPES: accessScopes,
    JUPYTERHUB_OAUTH_ACCESS_SCOPES: accessScopes,
    JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES: JSON.stringify(service.config.oauth_client_allowed_scopes),
    JUPYTERHUB_HOST: '',
    JUPYTERHUB_PUBLIC_URL: '',
    JUPYTERHUB_PUBLIC_HUB_URL: '',
  };
}

/**
 * Runs the managed services (those with a `command`) and restarts one that exits, with backoff.
 * They get an explicit environment: PATH and the JupyterHub variables, never the hub's own.
 */
export function createServiceSupervisor(deps: { registry: ServiceRegistry; paths: HubPaths; logger: Logger }): ServiceSupervisor {
  const children = new Map<string, ChildProcess>();
  const timers = new Set<NodeJS.Timeout>();
  let stopping = false;

  function launch(service: HubService, apiUrl: string, delay: number): void {
    const [command, ...args] = service.config.command ?? [];
    if (!command) return;
    const startedAt = Date.now();
    const child = spawn(command, args, {
      cwd: service.config.cwd ?? process.cwd(),
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/', LANG: 'C.UTF-8', ...serviceEnvironment(service, apiUrl, deps.paths), ...service.config.environment },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    children.set(service.name, child);
    service.pid = child.pid ?? 0;
    child.stderr?.on('data', (chunk: Buffer) => deps.logger.debug({ service: service.name, output: chunk.toString().slice(0, 2000) }, 'service output'));
    child.on('error', (error) => deps.logger.error({ err: error, service: service.name }, 'cannot start service'));
    child.on('exit', (code, signal) => {
      children.delete(service.name);
      service.pid = 0;
      if (stopping) return;
      const next = Date.now() - startedAt > STABLE_MS ? FIRST_DELAY_MS : Math.min(delay * 2, MAX_DELAY_MS);
      deps.logger.warn({ service: service.name, code, signal, restartInMs: next }, 'managed service exited; restarting');
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopping) launch(service, apiUrl, next);
      }, next);
      timers.add(timer);
    });
    deps.logger.info({ service: service.name, pid: child.pid }, 'managed service started');
  }

  return {
    start(apiUrl) {
      for (const service of deps.registry.list()) if (service.config.command) launch(service, apiUrl, FIRST_DELAY_MS / 2);
    },
    async stop() {
      stopping = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(
        [...children.values()].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              const kill = setTimeout(() => signalGroup(child, 'SIGKILL'), 5000);
              child.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              signalGroup(child, 'SIGTERM');
            }),
        ),
      );
    },
  };
}

/** Managed services run in their own process group so helpers they start stop with them. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}
