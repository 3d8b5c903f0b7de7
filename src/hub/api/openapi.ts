import type { ApiRouteSpec } from './api-registry.js';

const reasons: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/**
 * The OpenAPI 3 document of the hub's REST API, generated from the route registry, so it lists
 * exactly the endpoints the hub serves. Paths are relative to `servers[0].url` (the API prefix).
 */
export function openApiDocument(specs: readonly ApiRouteSpec[], info: { version: string; apiPrefix: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const parameters = [
      ...[...spec.path.matchAll(/\{(\w+)\}/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...(spec.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(spec.responses)) {
      responses[status] = { description: `${reasons[Number(status)] ?? status}: ${description}` };
    }
    if (!('403' in responses) && spec.scopes.length > 0) responses['403'] = { description: 'Forbidden: missing credentials or scopes' };
    const operation: Record<string, unknown> = {
      summary: spec.summary,
      ...(spec.scopes.length > 0 ? { security: [{ token: [...spec.scopes] }], 'x-scopes-any-of': [...spec.scopes] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(spec.body ? { requestBody: { description: spec.body, content: { 'application/json': { schema: { type: 'object' } } } } } : {}),
      responses,
    };
    const entry = paths[spec.path] ?? {};
    entry[spec.method.toLowerCase()] = operation;
    paths[spec.path] = entry;
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Bulwark hub REST API (JupyterHub-compatible)', version: info.version },
    servers: [{ url: info.apiPrefix }],
    components: {
      securitySchemes: {
        token: { type: 'apiKey', name: 'Authorization', in: 'header', description: 'Authorization: token <token> (or bearer)' },
      },
    },
    paths,
  };
}
