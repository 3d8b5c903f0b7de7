import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { HubDeps } from '../hub-deps.js';

const types: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', svg: 'image/svg+xml' };
const files = ['style.css', 'home.js', 'spawn-pending.js', 'admin.js', 'token.js', 'named-servers.js', 'logo.svg'] as const;

/**
 * The hub's few static files, read once at start-up. They live in src/ and are copied into
 * dist/ by the build, so both the TypeScript sources and the built package find them.
 */
function loadStatic(): Map<string, Buffer> {
  const dir = new URL('./static/', import.meta.url);
  return new Map(files.map((name) => [name, readFileSync(fileURLToPath(new URL(name, dir)))] as const));
}

export function registerStaticFiles(app: FastifyInstance, deps: HubDeps): void {
  const content = loadStatic();
  app.get<{ Params: { file: string } }>(deps.paths.hubUrl('static/:file'), async (request, reply) => {
    const body = content.get(request.params.file);
    if (!body) return reply.code(404).send({ status: 404, code: 'HTTP_NOT_FOUND', message: 'Not found' });
    const ext = request.params.file.split('.').pop() ?? '';
    return reply.type(types[ext] ?? 'application/octet-stream').header('Cache-Control', 'public, max-age=3600').send(body);
  });
  app.get(deps.paths.hubUrl('logo'), async (_request, reply) => reply.type(types['svg'] ?? '').send(content.get('logo.svg')));
  // Single-user pages post CSP violation reports here; they are only logged.
  app.post(deps.paths.hubUrl('security/csp-report'), async (request, reply) => {
    deps.logger.warn({ report: request.body }, 'CSP violation report');
    return reply.code(204).send();
  });
}
