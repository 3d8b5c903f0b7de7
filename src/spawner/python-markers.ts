import type { PasswdEntry } from './passwd-entry.js';
import { runAsAccount } from './run-as-account.js';

/** The marker values that pick a release target for an interpreter. */
export interface PythonMarkers {
  python_version: string;
  sys_platform: string;
  platform_machine: string;
}

const SCRIPT = 'import json, platform, sys; print(json.dumps({"python_version": "%d.%d" % sys.version_info[:2], "sys_platform": sys.platform, "platform_machine": platform.machine()}))';

/** Asks the interpreter, running as the person (-I: no PYTHON* variables, no user site). */
export async function readPythonMarkers(account: PasswdEntry, python: string, env: Record<string, string>): Promise<PythonMarkers> {
  const result = await runAsAccount(account, [python, '-I', '-c', SCRIPT], { env, cwd: account.home, timeoutMs: 30_000 });
  if (!result.ok) throw new Error(`${python} -I -c \u2026: ${result.status}: ${result.tail}`);
  return JSON.parse(result.stdout) as PythonMarkers;
}
