import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Identity } from '../auth/identify.js';
import type { HubDeps } from '../hub-deps.js';
import { identityOf } from '../request-context.js';

/** For pages: the logged-in browser user, or a redirect to the login page that comes back here. */
export async function pageUser(request: FastifyRequest, reply: FastifyReply, deps: HubDeps): Promise<Identity | undefined> {
  const identity = await identityOf(request, deps);
  if (identity) return identity;
  await reply.redirect(`${deps.paths.hubUrl('login')}?next=${encodeURIComponent(request.url)}`, 302);
  return undefined;
}
