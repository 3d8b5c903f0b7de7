import { execFile } from 'node:child_process';

export type HookEvent = 'pre_spawn' | 'post_stop';

export interface HookSubject {
  username: string;
  serverName: string;
  uid: number;
  home: string;
}

export interface HookResult {
  ok: boolean;
  /** Exit status or timeout, then the (trimmed) output: what an administrator needs to fix it. */
  detail: string;
}

const outputLimit = 4000;

/**
 * Runs spawner.pre_spawn_hook / post_stop_hook: an argv (no shell), as root (the hub's identity),
 * with a fixed environment that names the server and nothing of the hub's own (no secrets), in /,
 * killed after `timeoutMs`. Never throws.
 */
export function runSpawnHook(argv: readonly string[], event: HookEvent, subject: HookSubject, timeoutMs: number): Promise<HookResult> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.resolve({ ok: true, detail: '' });
  const env = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C.UTF-8',
    BULWARK_HOOK: event,
    BULWARK_USER: subject.username,
    BULWARK_SERVER_NAME: subject.serverName,
    BULWARK_UID: String(subject.uid),
    BULWARK_HOME: subject.home,
    JUPYTERHUB_USER: subject.username,
  };
  return new Promise((resolve) => {
    execFile(file, args, { env, cwd: '/', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim().slice(-outputLimit);
      if (error === null) {
        resolve({ ok: true, detail: output });
        return;
      }
      const status = error.killed ? `timed out after ${timeoutMs / 1000} s` : typeof error.code === 'number' ? `exit code ${error.code}` : error.message;
      resolve({ ok: false, detail: output === '' ? status : `${status}: ${output}` });
    });
  });
}
