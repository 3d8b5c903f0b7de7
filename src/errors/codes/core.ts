import { defineErrors } from '../error-definition.js';

/** Errors of the shared foundation: config, storage, identity, HTTP plumbing. */
export const coreErrors = defineErrors({
  CONFIG_INVALID: {
    status: 500,
    message: 'Invalid configuration: {detail}',
    description: 'A config key has an unknown name or a bad value; the message names the key path.',
  },
  CONFIG_FILE_UNREADABLE: {
    status: 500,
    message: 'Cannot read config file {path}: {reason}',
    description: 'The file given with --config (or ./bulwark.yaml) exists but cannot be read or parsed.',
  },
  STORAGE_SCHEMA_OUTDATED: {
    status: 500,
    message: 'Database schema is at version {current} but this code needs {expected}; run `bulwark db upgrade`',
    description: 'Start-up refuses to run against an older schema; back up the database and run `bulwark db upgrade`.',
  },
  STORAGE_SCHEMA_NEWER: {
    status: 500,
    message: 'Database schema version {current} is newer than this code knows ({expected}); upgrade Bulwark',
    description: 'The database was migrated by a newer Bulwark; run that version or restore a backup.',
  },
  STORAGE_UNAVAILABLE: {
    status: 503,
    message: 'Database is unavailable: {reason}',
    description: 'The database could not be opened or reached (file permissions, PostgreSQL down, bad db_url).',
  },
  HTTP_NOT_FOUND: {
    status: 404,
    message: 'Not found',
    description: 'No such route or resource, or one the caller may not see (Bulwark answers 404, not 403, to hide existence).',
  },
  HTTP_METHOD_NOT_ALLOWED: {
    status: 405,
    message: 'Method {method} is not allowed here',
    description: 'The route exists but not for this HTTP method.',
  },
  HTTP_BAD_REQUEST: {
    status: 400,
    message: 'Bad request: {detail}',
    description: 'The request body or parameters do not have the expected shape.',
  },
  HTTP_PAYLOAD_TOO_LARGE: {
    status: 413,
    message: 'Request body is too large',
    description: 'The body exceeds the configured limit.',
  },
  HTTP_INTERNAL: {
    status: 500,
    message: 'Internal server error',
    description: 'An unexpected error; details are in the server log under the request id.',
  },
  IDENTITY_USER_EXISTS: {
    status: 409,
    message: 'User {name} already exists',
    description: 'A user with this name (after normalisation) is already registered.',
  },
  IDENTITY_USER_NOT_FOUND: {
    status: 404,
    message: 'No such user: {name}',
    description: 'The named user is not registered.',
  },
  IDENTITY_INVALID_USERNAME: {
    status: 400,
    message: 'Invalid user name {name}: {reason}',
    description: 'User names are lower case, start with a letter or underscore, and use only letters, digits, `_`, `-` and `.`.',
  },
  IDENTITY_TOKEN_NOT_FOUND: {
    status: 404,
    message: 'No such token: {id}',
    description: 'The token id does not exist or belongs to another user.',
  },
  IDENTITY_INVALID_SCOPE: {
    status: 400,
    message: 'Unknown scope {scope}',
    description: 'A scope name is not part of the JupyterHub scope vocabulary.',
  },
  IDENTITY_INVALID_DURATION: {
    status: 400,
    message: 'Invalid duration {value}: use seconds or a number with s, m, h or d',
    description: 'Durations such as --expires-in take 3600, 90m, 12h or 30d.',
  },
  IDENTITY_IMPORT_FAILED: {
    status: 400,
    message: 'Cannot import accounts from {source}: {reason}',
    description: 'The JupyterHub database given to `bulwark import jupyterhub` is missing, unreadable or not a JupyterHub database.',
  },
  AUTH_REQUIRED: {
    status: 403,
    message: 'Forbidden',
    description: 'The request carries no valid token or session (JupyterHub answers 403 here, and so do we).',
  },
  AUTH_MISSING_SCOPE: {
    status: 403,
    message: 'Action is not authorized with current scopes; requires any of [{scopes}]',
    description: 'The caller is known but its token or role lacks the scope this action needs.',
  },
  CLI_USAGE: {
    status: 400,
    message: '{detail}',
    description: 'A command was called with unknown or missing arguments; see `bulwark <command> --help`.',
  },
});
