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
    description: 'The server did not start; the message and the audit log say why (no OS account, timeout, command missing\u2026).',
  },
  HUB_TOO_MANY_SPAWNS: {
    status: 429,
    message: 'Too many users trying to log in right now. Try again in {seconds} seconds.',
    description: 'hub.concurrent_spawn_limit servers are already starting.',
  },
  HUB_ACTIVE_SERVER_LIMIT: {
    status: 429,
    message: 'Active user limit exceeded. Try again in a few minutes.',
    description: 'hub.active_server_limit servers are already running or starting.',
  },
  HUB_SPAWN_THROTTLED: {
    status: 429,
    message: 'Server {name} was started moments ago. Try again in {seconds} seconds.',
    description: 'hub.user_spawn_interval: one user may start the same server only this often.',
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
  HUB_GROUP_EXISTS: {
    status: 409,
    message: 'Group {name} already exists',
    description: 'A group with this name is already defined.',
  },
  HUB_GROUP_NOT_FOUND: {
    status: 404,
    message: 'No such group: {name}',
    description: 'The named group does not exist.',
  },
  HUB_INVALID_GROUP_NAME: {
    status: 400,
    message: 'Invalid group name {name}',
    description: 'Group names are 1\u2013255 characters without slashes or control characters.',
  },
  HUB_INVALID_JSON: {
    status: 400,
    message: 'Invalid JSON in body of request',
    description: 'A REST API request body could not be parsed as JSON (the Content-Type is not looked at, as in JupyterHub).',
  },
  HUB_API_INVALID: {
    status: 400,
    message: '{detail}',
    description: "A REST API request was refused with JupyterHub's reason (bad keys, bad values, paging arguments, a state filter\u2026).",
  },
  HUB_API_CONFLICT: {
    status: 409,
    message: '{detail}',
    description: 'The user or group to create already exists.',
  },
  HUB_API_NOT_FOUND: {
    status: 404,
    message: '{detail}',
    description: 'The named resource (token, server, service\u2026) does not exist; the message says which.',
  },
  HUB_API_FORBIDDEN: {
    status: 403,
    message: '{detail}',
    description: 'The caller is known but may not do this (grant admin without being admin, create tokens for another user\u2026).',
  },
  HUB_SERVICE_NOT_MODIFIABLE: {
    status: 405,
    message: 'Service {name} is not modifiable at runtime',
    description: 'DELETE /hub/api/services/{name} on a service from services[] in the config; remove it from the config and restart instead.',
  },
  HUB_SHARE_CODE_INVALID: {
    status: 404,
    message: 'This share code is not valid: it expired, it was revoked, or it never existed',
    description: 'The /hub/accept-share link names no live share code; ask the owner of the server for a new one.',
  },
  HUB_SHARE_CODE_EXPIRY_INVALID: {
    status: 400,
    message: 'expires_in must be a whole number of seconds from 60 to 31536000 (one year), got {value}',
    description: 'POST /hub/api/share-codes/{owner}/{server} with an expiry JupyterHub 5 would refuse too: codes live at least a minute and at most a year (default: one day).',
  },
  HUB_SHARE_OWN_SERVER: {
    status: 400,
    message: 'You cannot accept a share of your own server',
    description: 'The owner of a server opened a share code for it; share codes are for other users.',
  },
  HUB_NAMED_SERVERS_DISABLED: {
    status: 400,
    message: 'Named servers are not enabled.',
    description: 'hub.allow_named_servers is false.',
  },
  HUB_NAMED_SERVER_LIMIT: {
    status: 400,
    message: 'User {name} already has the maximum of {limit} named servers.  One must be deleted before a new server can be created',
    description: 'hub.named_server_limit_per_user is reached; delete a named server (DELETE with {"remove": true}) first.',
  },
  HUB_DEPRECATED_ENDPOINT: {
    status: 404,
    message: 'Deprecated endpoint {path} is removed in JupyterHub 2.0. Use /hub/api/user with a token instead.',
    description: 'An endpoint JupyterHub removed; it answers 404 as JupyterHub does.',
  },
  HUB_PASSWORD_REJECTED: {
    status: 400,
    message: 'Password not changed: {reason}',
    description: 'A new password broke authenticator.native password rules (length, common list, contains the name, character classes), the two copies differ, or the current password was wrong.',
  },
  HUB_2FA_CODE_INVALID: {
    status: 400,
    message: 'That code is not valid: {reason}',
    description: 'A TOTP code at enrolment was wrong, expired, or already used; codes change every 30 seconds and work once.',
  },
  HUB_2FA_NOT_ALLOWED: {
    status: 404,
    message: 'Two-factor login is not offered on this hub',
    description: 'authenticator.native.allow_2fa is false and require_2fa is none.',
  },
  HUB_SETUP_LINK_INVALID: {
    status: 404,
    message: 'This setup link is not valid: it was used, it expired, or an admin already exists',
    description: 'The one-time /hub/setup link printed at first start works once and expires; create admins with `bulwark user add NAME --admin`.',
  },
  HUB_SYSTEM_USER_FAILED: {
    status: 500,
    message: 'Could not create the OS account {name}: {reason}',
    description: 'authenticator.native.create_system_users is on but useradd failed (the hub must run as root).',
  },
  HUB_PAM_UNAVAILABLE: {
    status: 500,
    message: 'PAM authentication is unavailable: {reason}',
    description: 'authenticator.class is pam but the helper could not run; install python3-pam (`apt-get install python3-pam`) and run the hub as root.',
  },
  HUB_PAM_PASSWORD_EXPIRED: {
    status: 403,
    message: 'The password of {name} has expired: change it with passwd, then log in again',
    description: 'PAM accepted the password but the account management step says it must be changed first.',
  },
});
