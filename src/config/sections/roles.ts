import { z } from 'zod';
import { describe, stringList } from './fields.js';

/** JupyterHub's role-name rule: 3-255 characters, lower case, starting with a letter. */
const roleName = z.string().regex(/^[a-z][a-z0-9\-_~.]{1,253}[a-z0-9]$/, 'expected a role name such as "culler" or "group-admin"');

const role = z.strictObject({
  name: describe(roleName, { description: 'Role name. Re-listing a built-in role (user, admin, server, token) adds members to it.' }),
  description: describe(z.string().default(''), { description: 'What the role is for (shown to admins).' }),
  scopes: describe(stringList.default([]), {
    description: 'Scopes the role grants, in JupyterHub syntax with optional filters (e.g. "read:users!group=staff"). Unknown scopes stop start-up.',
  }),
  users: describe(stringList.default([]), { description: 'User names that hold the role.' }),
  groups: describe(stringList.default([]), { description: 'Group names whose members hold the role.' }),
  services: describe(stringList.default([]), { description: 'Service names that hold the role.' }),
});

/** `roles[]`: JupyterHub's `load_roles`, custom roles assigned to users, groups and services. */
export const rolesSection = describe(z.array(role).default([]), {
  description: 'Custom roles (JupyterHub load_roles): name, description, scopes, and the users, groups and services holding them.',
});

export type RoleConfig = z.output<typeof role>;
