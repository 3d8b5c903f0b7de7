import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BulwarkError } from '../errors/index.js';
import type { HubPaths } from './paths.js';

type Done = (error: Error | null, body?: unknown) => void;

/**
 * Body parsing as JupyterHub does it: under the REST API every body is JSON whatever its
 * Content-Type (tornado clients send JSON as form-encoded, the idle culler sends none), except
 * the OAuth token endpoint, which is a real form. Pages get ordinary form parsing.
 */
export function registerBodyParsers(app: FastifyInstance, paths: HubPaths): void {
  const isJsonApi = (request: FastifyRequest) => {
    const path = request.url.split('?')[0] ?? '';
    return path.startsWith(`${paths.api}/`) && path !== `${paths.api}/oauth2/token`;
  };
  const parseJson = (text: string, done: Done, apiError: boolean) => {
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(apiError ? new BulwarkError('HUB_INVALID_JSON') : new BulwarkError('HTTP_BAD_REQUEST', { detail: 'body is not valid JSON' }), undefined);
    }
  };
  const text = (body: string | Buffer) => (typeof body === 'string' ? body : body.toString('utf8'));

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => parseJson(text(body), done, isJsonApi(request)));
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    if (isJsonApi(request)) return parseJson(text(body), done, true);
    done(null, Object.fromEntries(new URLSearchParams(text(body))));
  });
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(['application/csp-report', 'text/plain'], { parseAs: 'string' }, (request, body, done) =>
    isJsonApi(request) ? parseJson(text(body), done, true) : done(null, body),
  );
  // No or any other Content-Type: JSON for the API, refused elsewhere.
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    if (isJsonApi(request)) return parseJson(text(body), done, true);
    done(new BulwarkError('HTTP_BAD_REQUEST', { detail: 'unsupported Content-Type' }), undefined);
  });
}
