/**
 * Where an archive member lands relative to site-packages, or null when it does not land there
 * (.dist-info, scripts, headers, data). Root files and `.data/purelib|platlib/` both install
 * into site-packages.
 *
 * @example
 * ```ts
 * sitePackagesPath('demo-1.0.data/purelib/evil.pth'); // 'evil.pth'
 * ```
 */
export function sitePackagesPath(name: string): string | null {
  const m = /^[^/]+\.data\/(purelib|platlib)\/(.+)$/.exec(name);
  if (m !== null) return m[2] as string;
  if (/^[^/]+\.data\//.test(name)) return null;
  return name;
}
