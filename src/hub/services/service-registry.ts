import type { BulwarkConfig } from '../../config/index.js';
import { constantTimeEqual, hashSecret, randomHexToken, type RoleBook } from '../../identity/index.js';
import type { Logger } from '../../log/index.js';
import type { RouteTable } from '../../proxy/index.js';
import type { OAuthStore } from '../oauth/oauth-store.js';
import type { HubPaths } from '../paths.js';

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
}

/**
 * The services of `services[]`: their API tokens (kept in memory only: config is their source),
 * their proxy routes and OAuth clients. A managed service without a token gets a fresh one.
 */
export interface ServiceRegistry {
  list(): HubService[];
  get(name: string): HubService | undefined;
  byClientId(clientId: string): HubService | undefined;
  /** The service a bearer token belongs to, compared in constant time. */
  authenticate(token: string): HubService | undefined;
  /** Adds routes and registers OAuth clients; called once at start. */
  register(): Promise<void>;
  scopesOf(service: HubService): Set<string>;
}

export function createServiceRegistry(deps: {
  config: Readonly<BulwarkConfig>;
  oauth: OAuthStore;
  routes: RouteTable;
  roles: RoleBook;
  paths: HubPaths;
  logger: Logger;
}): ServiceRegistry {
  const services = deps.config.services.map((config): HubService => {
    const apiToken = config.api_token ?? (config.command ? randomHexToken(16) : undefined);
    const prefix = `${deps.paths.base}services/${config.name}/`;
    return {
      config,
      name: config.name,
      admin: config.admin,
      apiToken,
      tokenHash: apiToken === undefined ? undefined : hashSecret(apiToken),
      prefix,
      clientId: config.oauth_client_id ?? `service-${config.name}`,
      redirectUri: config.oauth_redirect_uri ?? `${prefix}oauth_callback`,
      pid: 0,
    };
  });
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
        if (service.config.url) deps.routes.add(service.prefix, new URL(service.config.url).origin, { service: service.name });
        // Only services with a token can exchange OAuth codes (the token is the client secret).
        if (service.apiToken === undefined) continue;
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
      if (services.length > 0) deps.logger.info({ services: services.map((s) => s.name) }, 'services registered');
    },
    scopesOf: (service) => deps.roles.serviceScopes(service.name, service.admin),
  };
}
