import { execFile } from 'node:child_process';
import { BulwarkError } from '../../errors/index.js';

/** What verify-env needs to know about an interpreter: where its packages live and its markers. */
export interface PythonFacts {
  sitePackages: string[];
  markers: { python_version: string; python_full_version: string; sys_platform: string; platform_machine: string; implementation_name: string };
}

// Asks the interpreter itself: site-packages differ per distribution (Debian's dist-packages,
// venvs, --user), and only the interpreter knows. -I keeps PYTHON* variables and user site out.
const SCRIPT = `
import json, platform, sys, sysconfig
paths = sysconfig.get_paths()
print(json.dumps({"sitePackages": sorted({paths["purelib"], paths["platlib"]}), "markers": {
  "python_version": "%d.%d" % sys.version_info[:2], "python_full_version": platform.python_version(),
  "sys_platform": sys.platform, "platform_machine": platform.machine(), "implementation_name": sys.implementation.name}}))
`;

/**
 * Runs `python -I -c ...` (asynchronously, so an in-process channel keeps serving) and returns its
 * site-packages directories and marker values.
 *
 * @example
 * ```ts
 * (await inspectPython('/opt/venv/bin/python')).sitePackages; // ['/opt/venv/lib/python3.11/site-packages']
 * ```
 */
export function inspectPython(python: string): Promise<PythonFacts> {
  return new Promise((resolve, reject) => {
    execFile(python, ['-I', '-c', SCRIPT], { timeout: 30_000, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' } }, (error, stdout, stderr) => {
      if (error) return reject(new BulwarkError('CHANNEL_VERIFY_ENV_FAILED', { python, reason: (stderr.trim() || error.message).split('\n').at(-1) ?? error.message }));
      try {
        resolve(JSON.parse(stdout) as PythonFacts);
      } catch {
        reject(new BulwarkError('CHANNEL_VERIFY_ENV_FAILED', { python, reason: `unexpected output: ${stdout.slice(0, 200)}` }));
      }
    });
  });
}
