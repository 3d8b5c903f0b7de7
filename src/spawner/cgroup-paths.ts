/** Where this process's cgroups live, for the two layouts the resource limiters can use. */
export interface CgroupDirs {
  /** The process's cgroup directory in a cgroup v1 hierarchy that has the memory controller. */
  v1Memory: string | null;
  /** The process's cgroup directory in the cgroup v2 (unified) hierarchy. */
  v2: string | null;
  /** The same for the v1 cpu and pids controllers; absent when the host has no such hierarchy. */
  v1Cpu?: string | null;
  v1Pids?: string | null;
}

/** v1 controllers the spawner limits, and the CgroupDirs field each lands in. */
const v1Fields = { memory: 'v1Memory', cpu: 'v1Cpu', pids: 'v1Pids' } as const;

interface CgroupMount {
  root: string;
  mountPoint: string;
  fsType: string;
  superOptions: string[];
}

/** mountinfo escapes space, tab, newline and backslash as octal (\040 ...). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_whole, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-');
    if (separator < 6) continue;
    const fsType = fields[separator + 1];
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') continue;
    mounts.push({
      root: unescapeMountField(fields[3] ?? '/'),
      mountPoint: unescapeMountField(fields[4] ?? ''),
      fsType,
      superOptions: (fields[separator + 3] ?? '').split(','),
    });
  }
  return mounts;
}

/** The cgroup path inside a mount, or null when the cgroup is outside what the mount shows. */
function joinUnderMount(mount: CgroupMount, cgroupPath: string): string | null {
  const root = mount.root === '/' ? '' : mount.root;
  if (root !== '' && cgroupPath !== root && !cgroupPath.startsWith(`${root}/`)) return null;
  const inside = cgroupPath.slice(root.length);
  return inside === '' || inside === '/' ? mount.mountPoint : `${mount.mountPoint}${inside}`;
}

/**
 * Finds this process's cgroup directories from /proc/self/cgroup and /proc/self/mountinfo, instead
 * of assuming /sys/fs/cgroup/memory: hosts differ (v1, hybrid, pure v2, nested namespaces).
 */
export function findCgroupDirs(procSelfCgroup: string, mountinfo: string): CgroupDirs {
  const mounts = parseCgroupMounts(mountinfo);
  const dirs: CgroupDirs = { v1Memory: null, v2: null, v1Cpu: null, v1Pids: null };
  for (const line of procSelfCgroup.split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (match === null) continue;
    const [, hierarchy, controllers = '', path = '/'] = match;
    if (hierarchy === '0' && controllers === '') {
      const mount = mounts.find((m) => m.fsType === 'cgroup2');
      if (mount !== undefined) dirs.v2 = joinUnderMount(mount, path);
      continue;
    }
    for (const [controller, field] of Object.entries(v1Fields)) {
      if (!controllers.split(',').includes(controller)) continue;
      const mount = mounts.find((m) => m.fsType === 'cgroup' && m.superOptions.includes(controller));
      if (mount !== undefined) dirs[field] = joinUnderMount(mount, path);
    }
  }
  // Only the memory and v2 fields are always present; the others appear when the host has them.
  if (dirs.v1Cpu === null) delete dirs.v1Cpu;
  if (dirs.v1Pids === null) delete dirs.v1Pids;
  return dirs;
}
