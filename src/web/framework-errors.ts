import { BulwarkError, isBulwarkError } from '../errors/index.js';

/** The part of a web framework's error (Fastify's) that says which HTTP status it meant. */
export interface StatusCodeError extends Error {
  statusCode?: number;
}

/**
 * Maps the framework's own errors (a bad body, a body too large, an unknown route) into the
 * catalog, so every answer keeps the `{status, code, message}` shape; anything else is internal.
 */
export function toCatalogError(error: StatusCodeError): BulwarkError {
  if (isBulwarkError(error)) return error;
  const status = error.statusCode;
  if (status === 413) return new BulwarkError('HTTP_PAYLOAD_TOO_LARGE');
  if (status === 404) return new BulwarkError('HTTP_NOT_FOUND');
  if (status !== undefined && status >= 400 && status < 500) return new BulwarkError('HTTP_BAD_REQUEST', { detail: error.message });
  return new BulwarkError('HTTP_INTERNAL', {}, { cause: error });
}
