import { BulwarkError } from '../errors/index.js';
import type { PasswdEntry } from './passwd-entry.js';
import { runAsAccount, type AccountRunResult } from './run-as-account.js';

/** Written last, as the person: a venv without it is half-built and is made again. */
export const RELEASE_MARKER = '.bulwark-release';
/** The release's requirements file as installed, kept in the venv. */
export const RELEASE_REQUIREMENTS = 'bulwark-requirements.txt';

export interface ReleaseVenvInput {
  account: PasswdEntry;
  venvDir: string;
  /** The interpreter the venv is made from (spawner.python). */
  basePython: string;
  release: string;
  /** The release's requirements file for this interpreter's target, with hashes. */
  requirements: () => Promise<string>;
  /** Environment of every step: HOME, PATH, locale and the server's PIP_* variables (index, CA). */
  env: Record<string, string>;
  timeoutMs: number;
  progress: (message: string) => void;
}

/** Options of a published requirements file that name sources: the server's pip settings decide those. */
const sourceOption = /^\s*(--index-url|-i\b|--extra-index-url|--find-links|-f\b|--trusted-host|--no-index)/;

/** The requirements text pip reads: hashes and pins kept, every index or link option dropped. */
export function requirementsWithoutSources(text: string): string {
  return `${text
    .split('\n')
    .filter((line) => !sourceOption.test(line))
    .join('\n')}\n`;
}

export function venvPython(venvDir: string): string {
  return `${venvDir}/bin/python`;
}

/**
 * Makes sure the person's venv for `release` exists: when it does not (or was left half-built),
 * creates it as the person with `python3 -m venv --system-site-packages` (Debian's
 * jupyterhub-singleuser, notebook and ipykernel stay importable), installs the release's
 * requirements file with --require-hashes --only-binary :all: from the channel, and gives it its
 * own kernelspec (Debian's hard-codes /usr/bin/python3), so `%pip install` lands in the venv.
 * A failed step removes the venv and fails with pip's own last lines.
 */
export async function ensureReleaseVenv(input: ReleaseVenvInput): Promise<{ created: boolean; python: string }> {
  const { account, venvDir, release } = input;
  const python = venvPython(venvDir);
  const deadline = Date.now() + input.timeoutMs;
  const run = (argv: string[], extra: { stdin?: string; lines?: boolean } = {}): Promise<AccountRunResult> =>
    runAsAccount(account, argv, {
      env: input.env,
      cwd: account.home,
      timeoutMs: Math.max(1000, deadline - Date.now()),
      ...(extra.stdin === undefined ? {} : { input: extra.stdin }),
      ...(extra.lines ? { onLine: (line: string) => (/^(Collecting|Downloading|Installing|Successfully|ERROR)/.test(line.trim()) ? input.progress(line.trim()) : undefined) } : {}),
    });
  const marker = await run(['/bin/cat', '--', `${venvDir}/${RELEASE_MARKER}`]);
  if (marker.ok && marker.stdout.trim() === release) return { created: false, python };

  const fail = async (step: string, result: AccountRunResult): Promise<never> => {
    await run(['/bin/rm', '-rf', '--', venvDir]);
    throw new BulwarkError('SPAWNER_VENV_FAILED', { name: account.name, path: venvDir, release, reason: `${step}: ${result.status}\n${result.tail}` });
  };
  input.progress(`Creating your Python environment ${venvDir} from release ${release}`);
  // Leftovers of an earlier attempt (no marker) go first; the person's own files elsewhere are never touched.
  const cleared = await run(['/bin/rm', '-rf', '--', venvDir]);
  if (!cleared.ok) return fail('removing a half-built environment', cleared);
  const made = await run(['/bin/mkdir', '-p', '--', venvDir]);
  if (!made.ok) return fail('mkdir', made);
  const created = await run([input.basePython, '-m', 'venv', '--system-site-packages', venvDir]);
  if (!created.ok) return fail('python -m venv', created);

  input.progress(`Installing release ${release} into ${venvDir}`);
  let requirements: string;
  try {
    requirements = requirementsWithoutSources(await input.requirements());
  } catch (error) {
    await run(['/bin/rm', '-rf', '--', venvDir]);
    throw error;
  }
  // Written by the person into their venv (pip cannot read a requirements file from a socket
  // stdin), where it also records what the environment was built from.
  const requirementsFile = `${venvDir}/${RELEASE_REQUIREMENTS}`;
  const written = await run(['/bin/sh', '-c', 'cat > "$1"', 'write-requirements', requirementsFile], { stdin: requirements });
  if (!written.ok) return fail('writing the requirements file', written);
  // --ignore-installed: the venv holds the release's own files even where Debian has the project too.
  const installed = await run(
    [python, '-m', 'pip', 'install', '--no-cache-dir', '--ignore-installed', '--require-hashes', '--only-binary', ':all:', '-r', requirementsFile],
    { lines: true },
  );
  if (!installed.ok) return fail('pip install', installed);

  input.progress('Registering the environment\'s Python as the notebook kernel');
  const kernel = await run([python, '-m', 'ipykernel', 'install', '--prefix', venvDir, '--name', 'python3', '--display-name', `Python 3 (${release})`]);
  if (!kernel.ok) return fail('ipykernel install', kernel);
  const marked = await run(['/bin/sh', '-c', 'printf "%s\\n" "$1" > "$2"', 'write-marker', release, `${venvDir}/${RELEASE_MARKER}`]);
  if (!marked.ok) return fail('writing the release marker', marked);
  input.progress(`Environment ready: ${venvDir}`);
  return { created: true, python };
}
