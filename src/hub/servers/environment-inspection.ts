import { compareVersions, targetEnvironment, tryParseVersion } from '../../pypkg/index.js';
import { runAsAccount } from '../../spawner/run-as-account.js';
import { serverSearchPath } from '../../spawner/server-environment.js';
import type { EnvironmentDrift, InterpreterAsUser } from './package-channel-link.js';

/** One distribution in the interpreter's own site-packages, with the RECORD files whose bytes differ. */
export interface InstalledDistribution {
  project: string;
  version: string;
  modified: string[];
}

export interface EnvironmentFacts {
  markers: { python_version: string; sys_platform: string; platform_machine: string };
  installed: InstalledDistribution[];
}

// Runs as the person, with -I. Reading and hashing the files the person's RECORDs name as the
// person means a RECORD pointing at /dev/zero or at a file only root may read costs the person,
// never the hub (which is why the channel's own verify-env, which reads as its caller, is not used
// for people's venvs).
const SCRIPT = String.raw`
import base64, hashlib, json, os, platform, sys, sysconfig, csv
from email.parser import HeaderParser
paths = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
out = []
for site in paths:
    if not os.path.isdir(site):
        continue
    for entry in sorted(os.listdir(site)):
        if not entry.endswith(".dist-info"):
            continue
        info = os.path.join(site, entry)
        try:
            with open(os.path.join(info, "METADATA"), encoding="utf-8") as f:
                meta = HeaderParser().parse(f)
        except OSError:
            continue
        modified = []
        try:
            with open(os.path.join(info, "RECORD"), encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
        except OSError:
            rows = []
            modified.append(entry + "/RECORD")
        for row in rows:
            if len(row) < 2 or "=" not in row[1]:
                continue
            algorithm, expected = row[1].split("=", 1)
            try:
                digest = hashlib.new(algorithm)
                with open(os.path.join(site, row[0]), "rb") as f:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        digest.update(block)
                actual = base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")
            except (OSError, ValueError):
                actual = None
            if actual != expected.rstrip("="):
                modified.append(row[0])
        out.append({"project": meta["Name"] or entry, "version": meta["Version"] or "", "modified": modified})
print(json.dumps({"markers": {"python_version": "%d.%d" % sys.version_info[:2], "sys_platform": sys.platform,
    "platform_machine": platform.machine()}, "installed": out}))
`;

/** Reads the interpreter's own distributions (not the system's it can see) as the person. */
export async function inspectEnvironment(interpreter: InterpreterAsUser): Promise<EnvironmentFacts> {
  const result = await runAsAccount(interpreter.account, [interpreter.python, '-I', '-c', SCRIPT], {
    env: { PATH: serverSearchPath, LANG: 'C.UTF-8', HOME: '/' },
    cwd: '/',
    timeoutMs: 120_000,
  });
  if (!result.ok) throw new Error(`inspecting ${interpreter.python} failed: ${result.status}: ${result.tail}`);
  return JSON.parse(result.stdout) as EnvironmentFacts;
}

/** The release target (pypkg target name) whose markers are the interpreter's, if exactly one is. */
export function chooseTarget(targets: readonly string[], markers: EnvironmentFacts['markers']): string | undefined {
  const matching = targets.filter((name) => {
    try {
      const m = targetEnvironment(name).markers;
      return m.python_version === markers.python_version && m.sys_platform === markers.sys_platform && m.platform_machine === markers.platform_machine;
    } catch {
      return false;
    }
  });
  return matching.length === 1 ? matching[0] : undefined;
}

function sameVersion(a: string, b: string): boolean {
  return tryParseVersion(a) !== null && tryParseVersion(b) !== null ? compareVersions(a, b) === 0 : a === b;
}

const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

/** Installers a fresh venv has whatever the release says; they count only when modified. */
const TOOLING = new Set(['pip', 'setuptools', 'wheel']);

/** Differences between what is installed and the release's pins (project -> version) for the target. */
export function compareWithPins(installed: readonly InstalledDistribution[], pins: ReadonlyMap<string, string>): EnvironmentDrift {
  const wanted = new Map([...pins].map(([project, version]) => [normalize(project), version]));
  const differences: string[] = [];
  const seen = new Set<string>();
  for (const dist of installed) {
    const project = normalize(dist.project);
    seen.add(project);
    if (dist.modified.length > 0) differences.push(`modified: ${project} ${dist.version} (${dist.modified.length} file${dist.modified.length === 1 ? '' : 's'}: ${dist.modified.slice(0, 3).join(', ')})`);
    const pinned = wanted.get(project);
    if (pinned === undefined) {
      if (!TOOLING.has(project)) differences.push(`extra: ${project} ${dist.version}`);
    } else if (!sameVersion(pinned, dist.version)) differences.push(`different: ${project} ${dist.version} (the release pins ${pinned})`);
  }
  for (const [project, version] of wanted) if (!seen.has(project)) differences.push(`missing: ${project} ${version}`);
  return { clean: differences.length === 0, differences };
}
