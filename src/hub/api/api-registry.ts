import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One REST endpoint as documented: the OpenAPI document is generated from these. */
export interface ApiRouteSpec {
  method: ApiMethod;
  /** Path under the API prefix in OpenAPI form, e.g. `/users/{name}/servers/{server_name}`. */
  path: string;
  summary: string;
  /** Any of these scopes is required; empty for endpoints open to everyone or to any credential. */
  scopes: readonly string[];
  /** Status code -> meaning, successes and the errors callers should expect. */
  responses: Readonly<Record<number, string>>;
  query?: readonly string[];
  /** Request body, described in words (JSON object keys). */
  body?: string;
}

export type ApiHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export interface ApiRegistry {
  readonly prefix: string;
  route(spec: ApiRouteSpec, handler: ApiHandler): void;
  specs(): readonly ApiRouteSpec[];
}

/** `/users/{name}` -> `/users/:name`, Fastify's parameter syntax. */
export function fastifyPath(prefix: string, path: string): string {
  return `${prefix}${path.replace(/\{(\w+)\}/g, ':$1')}`;
}

/**
 * Every API route is declared through this registry, so the OpenAPI document cannot drift from
 * what is served: a route added under the API prefix any other way stops the app from building.
 */
export function createApiRegistry(app: FastifyInstance, prefix: string): ApiRegistry {
  const specs: ApiRouteSpec[] = [];
  const withOptions = new Set<string>();
  let declaring = false;
  app.addHook('onRoute', (options) => {
    const url = options.url;
    const underApi = url === prefix || url.startsWith(`${prefix}/`);
    if (underApi && !declaring && options.method !== 'HEAD') {
      throw new Error(`API route ${String(options.method)} ${url} must be declared through the API registry`);
    }
  });
  return {
    prefix,
    route(spec, handler) {
      specs.push(spec);
      declaring = true;
      const url = fastifyPath(prefix, spec.path);
      try {
        app.route({ method: spec.method, url, handler: handler as RouteHandlerMethod });
        // JupyterHub answers OPTIONS on every API handler with an empty 200 (CORS preflight).
        if (!withOptions.has(url)) {
          withOptions.add(url);
          app.route({ method: 'OPTIONS', url, handler: async (_request, reply) => reply.code(200).send() });
        }
      } finally {
        declaring = false;
      }
    },
    specs: () => specs,
  };
}
