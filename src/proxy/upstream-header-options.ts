import type { ForwardContext } from './forward-context.js';
import type { UpstreamHeaderOptions } from './upstream-request-headers.js';
import type { UpstreamTarget } from './upstream-target.js';

/** The header options of one forwarded request, from the forwarder's settings and the route's target. */
export function headerOptions(ctx: ForwardContext, target: UpstreamTarget, upgrade: boolean): UpstreamHeaderOptions {
  return {
    removeCookies: ctx.removeCookies,
    upgrade,
    xForwarded: ctx.xForwarded,
    custom: ctx.customHeaders,
    host: ctx.changeOrigin ? target.url.host : undefined,
  };
}
