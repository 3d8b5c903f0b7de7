import { defineErrors } from '../error-definition.js';

/** Errors of the proxy: routing and forwarding to users' servers, its route API and the client of an external one. */
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
  PROXY_NO_ROUTE: {
    status: 404,
    message: 'No route for {path}',
    description: 'The standalone proxy has no route covering the request path (and no default route `/`); the hub adds routes as servers start.',
  },
  PROXY_BAD_OPTION: {
    status: 400,
    message: 'Invalid proxy option {option}: {reason}',
    description: '`bulwark proxy` was given a flag value it cannot use (a port that is not a number, a custom header without a colon, TLS files that cannot be read).',
  },
  PROXY_API_REQUEST_FAILED: {
    status: 502,
    message: 'Proxy API {method} {path} failed: {reason}',
    description: 'The hub could not update the external proxy through its REST API (proxy.api_url); it retries, and re-syncs every proxy.check_routes_interval.',
  },
  PROXY_API_UNAUTHORIZED: {
    status: 502,
    message: 'The external proxy at {url} refused the API token',
    description: 'proxy.auth_token (or CONFIGPROXY_AUTH_TOKEN) differs from the token the proxy was started with.',
  },
});
