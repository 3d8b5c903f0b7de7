import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from './ports.js';

export interface RealJupyterHub {
  url: string;
  /** Token of a service with admin:users, admin:groups, admin:servers and access:servers. */
  token: string;
  dbPath: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** The configurable-http-proxy JupyterHub will start: the npm one if installed, else Debian's. */
export function chpCommand(): { command: string; env: Record<string, string> } {
  const npmChp = join(repo, '.tmp/chp/node_modules/.bin/configurable-http-proxy');
  if (existsSync(npmChp)) return { command: npmChp, env: {} };
  if (existsSync('/usr/bin/configurable-http-proxy')) return { command: '/usr/bin/configurable-http-proxy', env: { NODE_PATH: '/usr/share/nodejs' } };
  throw new Error('configurable-http-proxy not found: run scripts/setup.sh --test');
}

/**
 * Starts Debian's real JupyterHub 3.0 on 127.0.0.1 (dummy authenticator, local process spawner,
 * CHP) in `dir`, with an admin service token for driving its REST API. For tests and benchmarks
 * that compare with, or import from, the real thing.
 */
export async function startRealJupyterHub(dir: string, options: { extraConfig?: string[]; env?: Record<string, string> } = {}): Promise<RealJupyterHub> {
  if (!existsSync('/usr/lib/python3/dist-packages/jupyterhub')) throw new Error('Debian jupyterhub is missing: run scripts/setup.sh');
  const [port, hubPort, apiPort] = [await findFreePort(), await findFreePort(), await findFreePort()];
  const token = randomBytes(16).toString('hex');
  const chp = chpCommand();
  const dbPath = join(dir, 'jupyterhub.sqlite');
  writeFileSync(
    join(dir, 'jupyterhub_config.py'),
    [
      `c.JupyterHub.bind_url = 'http://127.0.0.1:${port}'`,
      `c.JupyterHub.hub_ip = '127.0.0.1'`,
      `c.JupyterHub.hub_port = ${hubPort}`,
      `c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:${apiPort}'`,
      `c.ConfigurableHTTPProxy.command = ['${chp.command}']`,
      `c.JupyterHub.authenticator_class = 'dummy'`,
      `c.JupyterHub.db_url = 'sqlite:///${dbPath}'`,
      `c.JupyterHub.cookie_secret_file = '${dir}/cookie_secret'`,
      `c.JupyterHub.services = [{'name': 'driver', 'api_token': '${token}'}]`,
      `c.JupyterHub.load_roles = [{'name': 'driver', 'scopes': ['admin:users', 'admin:groups', 'admin:servers', 'access:servers'], 'services': ['driver']}]`,
      `c.JupyterHub.log_level = 'WARN'`,
      ...(options.extraConfig ?? []),
    ].join('\n'),
  );
  const child = spawn('/usr/bin/python3', ['-m', 'jupyterhub', '-f', join(dir, 'jupyterhub_config.py')], {
    cwd: dir,
    env: { ...process.env, ...chp.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`JupyterHub exited with ${child.exitCode}: ${stderr}`);
    const ready = await fetch(`${url}/hub/api`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`JupyterHub did not answer within 60 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    token,
    dbPath,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          // already gone
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
