import type { IncomingHttpHeaders } from 'node:http';

/**
 * The token a request carries. twine and pip send HTTP Basic (user `__token__`, password the
 * token, as PyPI's API tokens work); scripts may send JupyterHub's `Authorization: token X` or
 * `bearer X`. Returns undefined without an Authorization header and null for one we cannot read.
 */
export function tokenFromAuthorization(headers: IncomingHttpHeaders): string | null | undefined {
  const header = headers.authorization;
  if (header === undefined || header === '') return undefined;
  const scheme = /^(\w+)\s+(\S+)\s*$/.exec(header);
  if (!scheme) return null;
  const kind = (scheme[1] ?? '').toLowerCase();
  const value = scheme[2] ?? '';
  if (kind === 'token' || kind === 'bearer') return value;
  if (kind !== 'basic') return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return null;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // Only the __token__ convention: the channel has no passwords, and accepting any user name
  // would invite people to put their hub password in pip.conf.
  return user === '__token__' && password !== '' ? password : null;
}
