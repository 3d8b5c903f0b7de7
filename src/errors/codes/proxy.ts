import { defineErrors } from '../error-definition.js';

/** Errors of the proxy: routing and forwarding to users' servers. */
export const proxyErrors = defineErrors({
  PROXY_UPSTREAM_UNREACHABLE: {
    status: 503,
    message: 'The server at {target} is not answering',
    description: 'A route exists but its target refused or dropped the connection; the server may have stopped.',
  },
  PROXY_UPSTREAM_FAILED: {
    status: 502,
    message: 'The server at {target} sent an invalid response',
    description: 'The target answered with something that is not valid HTTP; the server log under the route target says more.',
  },
  PROXY_INVALID_ROUTE: {
    status: 400,
    message: 'Invalid route {prefix}: {reason}',
    description: 'A route was added with a target that is not an http or https URL.',
  },
});
