import type { PasswdEntry } from './passwd-entry.js';

/** The servers' PATH: fixed, so root's or the hub's PATH never decides what a server runs. */
export const serverSearchPath = '/usr/local/bin:/usr/bin:/bin';

/** Hub variables a server may inherit; everything else in the hub's environment stays in the hub. */
const inheritedNames = new Set(['LANG', 'TZ', 'JUPYTERHUB_SINGLEUSER_APP']);
const inheritedPrefixes = ['LC_'];

export interface ServerEnvironmentInput {
  account: Pick<PasswdEntry, 'name' | 'home' | 'shell'>;
  /** The hub process's own environment; only the allowlisted names are read from it. */
  hubProcessEnv: Readonly<Record<string, string | undefined>>;
  /** JUPYTERHUB_* contract variables computed by the hub for this server. */
  hubEnvironment: Readonly<Record<string, string>>;
  serviceUrl: string;
  rootDir: string | null;
  defaultUrl: string | null;
  memLimitBytes: number | null;
  /** Set by the hub for this start (package channel binding), after PATH and before spawner.environment. */
  requestEnvironment?: Readonly<Record<string, string>>;
  /** spawner.environment: applied last, so an administrator can override anything. */
  configEnvironment: Readonly<Record<string, string>>;
}

function isInherited(name: string): boolean {
  return inheritedNames.has(name) || inheritedPrefixes.some((prefix) => name.startsWith(prefix));
}

/**
 * Builds the complete environment of a server process from explicit parts only. Later parts win:
 * inherited locale, then the hub's contract variables, then what the spawner owns (service URL,
 * account, PATH), then spawner.environment.
 */
export function buildServerEnvironment(input: ServerEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.hubProcessEnv)) {
    if (value !== undefined && isInherited(name)) env[name] = value;
  }
  Object.assign(env, input.hubEnvironment);
  env.JUPYTERHUB_SERVICE_URL = input.serviceUrl;
  if (input.rootDir !== null) env.JUPYTERHUB_ROOT_DIR = input.rootDir;
  if (input.defaultUrl !== null) env.JUPYTERHUB_DEFAULT_URL = input.defaultUrl;
  // Informational for the server, as JupyterHub sets it: the limit itself is enforced outside.
  if (input.memLimitBytes !== null) env.MEM_LIMIT = String(input.memLimitBytes);
  env.USER = input.account.name;
  env.LOGNAME = input.account.name;
  env.HOME = input.account.home;
  // An empty passwd shell means /bin/sh to login(1); leaving SHELL unset lets programs decide the same.
  if (input.account.shell !== '') env.SHELL = input.account.shell;
  env.PATH = serverSearchPath;
  Object.assign(env, input.requestEnvironment ?? {});
  Object.assign(env, input.configEnvironment);
  return env;
}
