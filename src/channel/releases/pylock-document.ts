import { stringify } from 'smol-toml';
import type { TargetEnvironment } from '../../pypkg/index.js';
import type { ReleaseFileView } from './release-file-view.js';

/** PEP 751 names the file `pylock.<name>.toml`; ours carry the target: `pylock.cp312-manylinux_x86_64.toml`. */
export function pylockPath(target: string): string {
  return `pylock.${target}.toml`;
}

/** The marker that says which environment a lock is for (PEP 751 `environments`). */
export function environmentMarker(environment: TargetEnvironment): string {
  const m = environment.markers;
  return `implementation_name == "${m.implementation_name}" and python_version == "${m.python_version}" and sys_platform == "${m.sys_platform}" and platform_machine == "${m.platform_machine}"`;
}

/**
 * A PEP 751 lock file for one target: every pinned wheel with its URL in the release-scoped
 * index, size, upload time and sha256, and each package's dependencies. Keys and arrays are
 * written in a fixed order (the spec asks for this to keep diffs quiet).
 *
 * @example
 * ```ts
 * renderPylock({ environment: targetEnvironment('cp312-manylinux_x86_64'), indexUrl, files, release: '1.0' });
 * ```
 */
export function renderPylock(input: { release: string; environment: TargetEnvironment; indexUrl: string; files: readonly ReleaseFileView[] }): string {
  const [major, minor] = input.environment.pythonVersion;
  const packages = [...input.files]
    .sort((a, b) => (a.project < b.project ? -1 : a.project > b.project ? 1 : 0))
    .map((file) => ({
      name: file.project,
      version: file.version,
      ...(file.requiresPython === null ? {} : { 'requires-python': file.requiresPython }),
      dependencies: [...file.dependencies].sort().map((name) => ({ name })),
      index: input.indexUrl,
      wheels: [
        {
          name: file.filename,
          'upload-time': new Date(file.uploadedAt),
          url: file.url,
          size: file.size,
          hashes: { sha256: file.sha256 },
        },
      ],
    }));
  const lock = {
    'lock-version': '1.0',
    environments: [environmentMarker(input.environment)],
    'requires-python': `==${major}.${minor}.*`,
    extras: [],
    'dependency-groups': [],
    'default-groups': [],
    'created-by': 'bulwark',
    packages,
    tool: { bulwark: { release: input.release, target: input.environment.name } },
  };
  return `${stringify(lock)}\n`;
}
