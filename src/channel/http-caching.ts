import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Whether an If-None-Match header names this entity tag (or `*`). */
export function matchesIfNoneMatch(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (header === undefined) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/** A strong entity tag over a page's exact bytes and type. */
export function entityTag(body: string, contentType: string): string {
  return `"${createHash('sha256').update(contentType).update('\0').update(body).digest('hex').slice(0, 40)}"`;
}

/**
 * Sends an index page with a short max-age and a strong ETag over its exact bytes (so the HTML
 * and JSON forms of one page never share a tag), answering 304 when the client has it already.
 * `Vary: Accept` because the same URL negotiates its form; Authorization when reads need a token.
 */
export function sendIndexPage(
  request: FastifyRequest,
  reply: FastifyReply,
  body: string,
  contentType: string,
  options: { maxAge: number; requireAuth: boolean; etag?: string },
): FastifyReply {
  const etag = options.etag ?? entityTag(body, contentType);
  reply.header('ETag', etag);
  reply.header('Vary', options.requireAuth ? 'Accept, Authorization' : 'Accept');
  reply.header('Cache-Control', `max-age=${options.maxAge}, ${options.requireAuth ? 'private' : 'public'}`);
  reply.header('Content-Type', contentType);
  if (matchesIfNoneMatch(request, etag)) return reply.code(304).send();
  return reply.send(body);
}
