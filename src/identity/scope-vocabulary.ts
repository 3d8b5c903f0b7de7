/**
 * JupyterHub's scope vocabulary (5.x, a superset of 3.0) with each scope's direct sub-scopes.
 * Granting a scope grants its sub-scopes, transitively.
 */
export const scopeTree: Readonly<Record<string, readonly string[]>> = {
  'admin-ui': [],
  'admin:users': ['admin:auth_state', 'users', 'read:roles:users', 'delete:users'],
  'admin:auth_state': [],
  users: ['read:users', 'list:users', 'users:activity'],
  'delete:users': [],
  'list:users': ['read:users:name'],
  'read:users': ['read:users:name', 'read:users:groups', 'read:users:activity'],
  'read:users:name': [],
  'read:users:groups': [],
  'read:users:activity': [],
  'read:roles': ['read:roles:users', 'read:roles:services', 'read:roles:groups'],
  'read:roles:users': [],
  'read:roles:services': [],
  'read:roles:groups': [],
  'users:activity': ['read:users:activity'],
  'admin:servers': ['admin:server_state', 'servers'],
  'admin:server_state': [],
  servers: ['read:servers', 'delete:servers'],
  'read:servers': ['read:users:name'],
  'delete:servers': [],
  tokens: ['read:tokens'],
  'read:tokens': [],
  'admin:groups': ['groups', 'read:roles:groups', 'delete:groups'],
  groups: ['read:groups', 'list:groups'],
  'list:groups': ['read:groups:name'],
  'read:groups': ['read:groups:name'],
  'read:groups:name': [],
  'delete:groups': [],
  'admin:services': ['list:services', 'read:services', 'read:roles:services'],
  'list:services': ['read:services:name'],
  'read:services': ['read:services:name'],
  'read:services:name': [],
  'read:hub': [],
  'access:servers': [],
  'access:services': [],
  shares: ['access:servers', 'read:shares', 'users:shares', 'groups:shares'],
  'read:shares': [],
  'users:shares': ['read:users:shares'],
  'read:users:shares': [],
  'groups:shares': ['read:groups:shares'],
  'read:groups:shares': [],
  proxy: [],
  shutdown: [],
  'read:metrics': [],
  // Bulwark's package channel (not JupyterHub scopes): publishing, approving vetted files, reading.
  'channel:admin': ['channel:publish', 'channel:approve', 'channel:read'],
  'channel:publish': ['channel:read'],
  'channel:approve': ['channel:read'],
  'channel:read': [],
};

/** Metascopes resolved against the owner rather than granting anything themselves. */
export const metaScopes = ['self', 'inherit'] as const;

/** What `self` means for a user: their own resources, each filtered to `!user=<name>`. */
export const selfScopes: readonly string[] = [
  'read:users',
  'read:users:name',
  'read:users:groups',
  'users:activity',
  'read:users:activity',
  'servers',
  'delete:servers',
  'read:servers',
  'tokens',
  'read:tokens',
  'access:servers',
  'users:shares',
  'read:users:shares',
  'read:shares',
];

/** Built-in roles. `user` is held by everyone, `admin` by users with the admin flag. */
export const builtinRoles: Readonly<Record<string, { description: string; scopes: readonly string[] }>> = {
  // channel:read: everyone with an account may read the vetted channel their notebooks install from
  // (it matters only with channel.require_auth, which shuts anonymous readers out).
  user: { description: 'Standard user privileges', scopes: ['self', 'channel:read'] },
  admin: {
    description: 'Elevated privileges (can do anything)',
    scopes: [
      'admin-ui',
      'admin:users',
      'admin:servers',
      'admin:services',
      'tokens',
      'admin:groups',
      'list:services',
      'read:services',
      'read:hub',
      'proxy',
      'shutdown',
      'access:services',
      'access:servers',
      'read:roles',
      'read:metrics',
      'shares',
      'channel:admin',
    ],
  },
  server: { description: 'Post activity only', scopes: ['users:activity!user', 'access:servers!server', 'channel:read'] },
  token: { description: 'Token with same permissions as its owner', scopes: ['inherit'] },
};

const customScopePattern = /^custom:[a-z0-9][a-z0-9_\-*:]+[a-z0-9_*]$/;

/** Whether a base scope name (no filter) exists. */
export function isKnownScope(name: string): boolean {
  return name in scopeTree || (metaScopes as readonly string[]).includes(name) || customScopePattern.test(name);
}
