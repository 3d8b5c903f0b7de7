import type { FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';

/** JupyterHub's api_page_default_limit and api_page_max_limit. */
export const PAGE_DEFAULT_LIMIT = 50;
export const PAGE_MAX_LIMIT = 200;
const PAGINATION_MEDIA_TYPE = 'application/jupyterhub-pagination+json';

export interface Page {
  offset: number;
  limit: number;
  /** The client asked for the envelope (`Accept: application/jupyterhub-pagination+json`). */
  envelope: boolean;
}

function wantsEnvelope(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.split(',').some((part) => part.split(';')[0]?.trim() === PAGINATION_MEDIA_TYPE);
}

function integerArg(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? String(value.at(-1)) : String(value);
  if (!/^[+-]?\d+$/.test(text.trim())) {
    throw new BulwarkError('HUB_API_INVALID', { detail: 'Invalid argument type, offset and limit must be integers' });
  }
  return Math.abs(Number(text));
}

/**
 * Paging arguments as JupyterHub reads them: absolute values, limit clamped to [1, max]. Without
 * the envelope the default limit is the maximum, so plain-list clients see up to 200 rows.
 */
export function pageOf(request: FastifyRequest): Page {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const envelope = wantsEnvelope(request);
  const offset = integerArg(query['offset']) ?? 0;
  const requested = integerArg(query['limit']) ?? (envelope ? PAGE_DEFAULT_LIMIT : PAGE_MAX_LIMIT);
  return { offset, limit: Math.min(Math.max(requested, 1), PAGE_MAX_LIMIT), envelope };
}

/** The absolute URL of the next page, built from the URL this request arrived at. */
function nextUrl(request: FastifyRequest, offset: number, limit: number): string {
  const host = request.headers.host ?? 'localhost';
  const url = new URL(request.url, `${request.protocol}://${host}`);
  url.searchParams.set('offset', String(offset));
  url.searchParams.set('limit', String(limit));
  return url.href;
}

/** One page's items (already sliced), bare or in JupyterHub's envelope as the client asked. */
export function pageResult<T>(request: FastifyRequest, page: Page, items: T, total: number): unknown {
  if (!page.envelope) return items;
  const nextOffset = page.offset + page.limit;
  return {
    items,
    _pagination: {
      offset: page.offset,
      limit: page.limit,
      total,
      next: nextOffset >= total ? null : { offset: nextOffset, limit: page.limit, url: nextUrl(request, nextOffset, page.limit) },
    },
  };
}

/** Slices `all` for the page and wraps it when asked. */
export function paginate<T>(request: FastifyRequest, page: Page, all: readonly T[]): unknown {
  return pageResult(request, page, all.slice(page.offset, page.offset + page.limit), all.length);
}
