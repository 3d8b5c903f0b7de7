import type { FastifyReply, FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { grants } from '../../identity/index.js';
import type { Identity } from '../auth/identify.js';
import type { HubDeps } from '../hub-deps.js';
import { pageUser } from './require-login.js';

/**
 * The scope behind every channel view and decision. Viewing needs it too, not only channel:read:
 * the lists show rejected and quarantined files, which the channel shows to approvers only, and
 * channel:read is what every notebook user may hold to install packages. Admins hold it through
 * channel:admin.
 */
export const CHANNEL_REVIEW_SCOPE = 'channel:approve';

/** Whether the page user may see the channel's review (for links on other pages). */
export function mayReviewChannel(deps: HubDeps, identity: Identity): boolean {
  return deps.channelAdmin !== undefined && grants(identity.scopes, CHANNEL_REVIEW_SCOPE);
}

/**
 * The logged-in reviewer and the channel, or a redirect to the login page (undefined). Anyone
 * else gets the hub's 404, as for the other admin pages: the review's existence is not revealed.
 */
export async function channelReviewer(request: FastifyRequest, reply: FastifyReply, deps: HubDeps): Promise<Identity | undefined> {
  const identity = await pageUser(request, reply, deps);
  if (!identity) return undefined;
  if (!grants(identity.scopes, CHANNEL_REVIEW_SCOPE)) throw new BulwarkError('HUB_NOT_FOUND_OR_NO_ACCESS');
  return identity;
}
