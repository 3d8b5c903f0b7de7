import { defineErrors } from '../error-definition.js';

/** Errors of the hub: login, signup, OAuth and server lifecycle. */
export const hubErrors = defineErrors({
  HUB_AUTH_INVALID_CREDENTIALS: {
    status: 403,
    message: 'Invalid username or password',
    description: 'Login failed. The same message is given for every reason (unknown user, wrong password, not yet authorized, locked) so it reveals nothing.',
  },
  HUB_SIGNUP_DISABLED: {
    status: 404,
    message: 'Signup is disabled',
    description: 'authenticator.native.enable_signup is false; an admin creates accounts.',
  },
  HUB_SIGNUP_INVALID: {
    status: 400,
    message: 'Signup failed: {reason}',
    description: 'The signup form was not accepted (name not allowed, passwords differ or too short, name taken).',
  },
  HUB_XSRF_FAILED: {
    status: 403,
    message: "XSRF check failed: the form's '_xsrf' token is missing or does not match",
    description: 'A state-changing request from a browser lacked a valid XSRF token; reload the page and try again.',
  },
  HUB_NOT_FOUND_OR_NO_ACCESS: {
    status: 404,
    message: 'No access to resources or resources not found',
    description: 'The caller holds the needed scope but not for this resource; existence is not revealed.',
  },
  HUB_SERVER_ALREADY_RUNNING: {
    status: 400,
    message: '{name} is already running',
    description: 'POST to a server that is already running.',
  },
  HUB_SERVER_PENDING_STOP: {
    status: 400,
    message: '{name} is pending stop',
    description: 'The server is stopping; wait until it has stopped before starting it again.',
  },
  HUB_SERVER_PENDING_SPAWN: {
    status: 400,
    message: '{name} is pending spawn, please wait',
    description: 'The server is starting; stop it after the start has finished or failed.',
  },
  HUB_SERVER_NOT_STARTING: {
    status: 400,
    message: '{name} is not starting...',
    description: 'Progress was asked for a server that is neither starting nor just failed.',
  },
  HUB_SPAWN_FAILED: {
    status: 500,
    message: 'Spawner failed to start [status={status}]. The logs for {name} may contain details: {reason}',
    description: 'The server did not start; the message and the audit log say why (no OS account, timeout, command missing…).',
  },
  HUB_TOO_MANY_SPAWNS: {
    status: 429,
    message: 'Too many users trying to log in right now. Try again in {seconds} seconds.',
    description: 'hub.concurrent_spawn_limit servers are already starting.',
  },
  HUB_ACTIVITY_INVALID: {
    status: 400,
    message: '{detail}',
    description: 'An activity report from a single-user server had the wrong shape or a timestamp in the future.',
  },
  HUB_OAUTH_INVALID_CLIENT: {
    status: 400,
    message: 'Invalid OAuth client: {detail}',
    description: 'The authorize request named an unknown client_id or a redirect_uri that does not match the registered one.',
  },
  HUB_OAUTH_FORBIDDEN: {
    status: 403,
    message: 'You do not have permission to access {description}',
    description: 'The logged-in user may not use the server or service that asked for authorization.',
  },
  HUB_REDIRECT_LOOP: {
    status: 500,
    message: 'Redirect loop detected.',
    description: 'The proxy kept sending a running server back to the hub; check that the server answers at its URL.',
  },
  HUB_SERVER_NOT_RUNNING: {
    status: 424,
    message: 'JupyterHub server no longer running at {path}. Restart the server at {spawn_url}',
    description: 'A request reached a user server that is stopped; start it again from the home page.',
  },
});
