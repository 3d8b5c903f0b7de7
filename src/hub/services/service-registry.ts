import type { BulwarkConfig } from '../../config/index.js';
import { BulwarkError } from '../../errors/index.js';
import { constantTimeEqual, hashSecret, randomHexToken, type RoleBook } from '../../identity/index.js';
import type { Logger } from '../../log/index.js';
import type { RouteTable } from '../../proxy/index.js';
import type { Database } from '../../storage/index.js';
import type { OAuthStore } from '../oauth/oauth-store.js';
import type { HubPaths } from '../paths.js';
import { createRuntimeServiceStore, type RuntimeServiceStore } from './runtime-service-store.js';

type ServiceConfig = BulwarkConfig['services'][number];

export interface HubService {
  config: ServiceConfig;
  name: string;
  admin: boolean;
  /** The token the service calls the API with (configured, or generated for managed services). */
  apiToken: string | undefined;
  tokenHash: string | undefined;
  prefix: string;
  clientId: string;
  redirectUri: string;
  pid: number;
  /** From `services[]` (fixed while the hub runs), or added through the REST API (stored). */
  fromConfig: boolean;
}

/**
 * The services of `services[]` and those added at runtime: their API tokens (config services'
 * kept in memory only, runtime services' as hashes in the database), their proxy routes and
 * OAuth clients. A managed service without a token gets a fresh one.
 */
export interface ServiceRegistry {
  list(): HubService[];
  get(name: string): HubService | undefined;
  byClientId(clientId: string): HubService | undefined;
  /** The service a bearer token belongs to, compared in constant time. */
  authenticate(token: string): HubService | undefined;
  /** Adds routes and registers OAuth clients, and loads the stored runtime services; called once at start. */
  register(): Promise<void>;
  /** Adds and stores an external service (no command); the caller has checked name and scopes. */
  addRuntime(config: ServiceConfig, createdBy: string | null): Promise<HubService>;
  /** Removes a runtime service: its route, OAuth client and stored row. */
  removeRuntime(name: string): Promise<void>;
  scopesOf(service: HubService): Set<string>;
}

export function createServiceRegistry(deps: {
  config: Readonly<BulwarkConfig>;
  oauth: OAuthStore;
  routes: RouteTable;
  roles: RoleBook;
  paths: HubPaths;
  logger: Logger;
  /** Where runtime services are stored; without it they last until the hub stops. */
  database?: Database;
}): ServiceRegistry {
  const store: RuntimeServiceStore | undefined = deps.database ? createRuntimeServiceStore(deps.database) : undefined;

  function hubService(config: ServiceConfig, fromConfig: boolean, tokenHash?: string | null): HubService {
    const apiToken = config.api_token ?? (fromConfig && config.command ? randomHexToken(16) : undefined);
    const prefix = `${deps.paths.base}services/${config.name}/`;
    return {
      config,
      name: config.name,
      admin: config.admin,
      apiToken,
      tokenHash: apiToken === undefined ? (tokenHash ?? undefined) : hashSecret(apiToken),
      prefix,
      clientId: config.oauth_client_id ?? `service-${config.name}`,
      redirectUri: config.oauth_redirect_uri ?? `${prefix}oauth_callback`,
      pid: 0,
      fromConfig,
    };
  }

  const services = deps.config.services.map((config) => hubService(config, true));

  function route(service: HubService): void {
    if (service.config.url) deps.routes.add(service.prefix, new URL(service.config.url).origin, { service: service.name });
  }

  /** Only services with a token can exchange OAuth codes (the token is the client secret). */
  async function saveClient(service: HubService): Promise<void> {
    if (service.apiToken === undefined) return;
    await deps.oauth.saveClient(
      {
        identifier: service.clientId,
        redirectUri: service.redirectUri,
        description: `Service ${service.name}`,
        userId: null,
        serverName: null,
        allowedScopes: service.config.oauth_client_allowed_scopes,
      },
      service.apiToken,
    );
  }

  let adding: Promise<unknown> = Promise.resolve();

  async function addOne(config: ServiceConfig, createdBy: string | null): Promise<HubService> {
    if (services.some((existing) => existing.name === config.name)) {
      throw new BulwarkError('HUB_API_CONFLICT', { detail: `Service ${config.name} already exists` });
    }
    const service = hubService(config, false);
    // Routed first, so a target the proxy refuses (PROXY_INVALID_ROUTE) is never stored.
    route(service);
    try {
      // The primary key still refuses a name another hub process on the same database stored.
      await store?.insert({ config, tokenHash: service.tokenHash ?? null }, createdBy, new Date().toISOString());
    } catch (error) {
      if (config.url) deps.routes.remove(service.prefix);
      throw error;
    }
    services.push(service);
    await saveClient(service);
    deps.logger.info({ service: service.name, by: createdBy }, 'service added at runtime');
    return service;
  }

  return {
    list: () => services,
    get: (name) => services.find((service) => service.name === name),
    byClientId: (clientId) => services.find((service) => service.clientId === clientId),
    authenticate(token) {
      const hash = hashSecret(token);
      let found: HubService | undefined;
      for (const service of services) if (service.tokenHash !== undefined && constantTimeEqual(service.tokenHash, hash)) found = service;
      return found;
    },
    async register() {
      for (const service of services) {
        route(service);
        await saveClient(service);
      }
      if (store) {
        // A runtime service's OAuth client was stored when it was added; only its route is rebuilt.
        const stored = await store.list();
        for (const name of stored.invalid) deps.logger.error({ service: name }, 'stored runtime service no longer valid; not loaded');
        for (const { config, tokenHash } of stored.services) {
          if (services.some((service) => service.name === config.name)) {
            deps.logger.warn({ service: config.name }, 'runtime service shadowed by a configured service of the same name; not loaded');
            continue;
          }
          const service = hubService(config, false, tokenHash);
          try {
            route(service);
          } catch (error) {
            // One bad stored row must not keep the hub from starting; it is reported and skipped.
            deps.logger.error({ err: error, service: config.name }, 'stored runtime service cannot be routed; not loaded');
            continue;
          }
          services.push(service);
        }
      }
      if (services.length > 0) deps.logger.info({ services: services.map((s) => s.name) }, 'services registered');
    },
    addRuntime(config, createdBy) {
      // One at a time, so two requests for the same name cannot both pass addOne's name check.
      const next = adding.then(() => addOne(config, createdBy));
      adding = next.catch(() => undefined);
      return next;
    },
    async removeRuntime(name) {
      const index = services.findIndex((service) => service.name === name && !service.fromConfig);
      const service = services[index];
      if (!service) return;
      services.splice(index, 1);
      if (service.config.url) deps.routes.remove(service.prefix);
      await deps.oauth.deleteClient(service.clientId);
      await store?.remove(name);
      deps.logger.info({ service: name }, 'runtime service removed');
    },
    scopesOf: (service) => deps.roles.serviceScopes(service.name, service.admin),
  };
}
