import { createHmac } from 'node:crypto';
import { constantTimeEqual, randomUrlToken } from '../../identity/index.js';

/**
 * XSRF tokens bound to a per-browser random cookie by an HMAC with the hub's secret: a page
 * embeds `tokenFor(cookie)`, a POST must send it back. An attacker can neither read the cookie
 * nor compute the token without the secret, even if they manage to plant a cookie.
 */
export interface XsrfGuard {
  newCookieValue(): string;
  tokenFor(cookieValue: string): string;
  check(cookieValue: string | undefined, token: string | undefined): boolean;
}

export function createXsrfGuard(secret: Buffer): XsrfGuard {
  const tokenFor = (cookieValue: string) => createHmac('sha256', secret).update(`xsrf:${cookieValue}`).digest('base64url');
  return {
    newCookieValue: () => randomUrlToken(24),
    tokenFor,
    check(cookieValue, token) {
      if (!cookieValue || !token) return false;
      return constantTimeEqual(tokenFor(cookieValue), token);
    },
  };
}
