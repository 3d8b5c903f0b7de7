import type { FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';

/** The body as JupyterHub reads it: JSON or nothing; a non-object is a 400. */
export function objectBody(request: FastifyRequest, whatFor = 'Request body'): Record<string, unknown> | undefined {
  const body = request.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new BulwarkError('HUB_API_INVALID', { detail: `${whatFor} must be a JSON dict` });
  }
  return body as Record<string, unknown>;
}

export function requireObjectBody(request: FastifyRequest, whatFor?: string): Record<string, unknown> {
  const body = objectBody(request, whatFor);
  if (!body) throw new BulwarkError('HUB_API_INVALID', { detail: 'need JSON body' });
  return body;
}

export function stringList(value: unknown, key: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new BulwarkError('HUB_API_INVALID', { detail: `${key} must be a list of strings` });
  }
  return value as string[];
}

/** JupyterHub's user-model keys check: `Invalid JSON keys: {...}` for anything else. */
export function checkKeys(body: Record<string, unknown>, allowed: readonly string[]): void {
  const bad = Object.keys(body).filter((key) => !allowed.includes(key));
  if (bad.length > 0) throw new BulwarkError('HUB_API_INVALID', { detail: `Invalid JSON keys: {${bad.map((k) => `'${k}'`).join(', ')}}` });
}

/** `?flag` and `?flag=1` are true, `0`/`false` are false, absent is the default. */
export function queryFlag(request: FastifyRequest, name: string, fallback: boolean): boolean {
  const value = ((request.query ?? {}) as Record<string, unknown>)[name];
  if (value === undefined) return fallback;
  const text = String(Array.isArray(value) ? value.at(-1) : value).toLowerCase();
  return text !== '0' && text !== 'false';
}

export function queryString(request: FastifyRequest, name: string): string | undefined {
  const value = ((request.query ?? {}) as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  return String(Array.isArray(value) ? value.at(-1) : value);
}
