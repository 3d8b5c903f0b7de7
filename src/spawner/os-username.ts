/**
 * The shape of an OS account name the spawner will touch. The name reaches getent, setpriv,
 * cgroup directory names and paths, so anything that could be read as an option, a number or a
 * path component is refused before it is used anywhere.
 */
const osUsernamePattern = /^[a-z_][a-z0-9_.-]*$/;

/** Same limit as useradd on Debian (LOGIN_NAME_MAX-1 is larger, but utmp stores 32). */
export const maxOsUsernameLength = 32;

/** Returns why `name` is not acceptable as an OS account name, or null when it is. */
export function osUsernameProblem(name: string): string | null {
  if (name.length === 0) return 'the user name is empty';
  if (name.length > maxOsUsernameLength) {
    return `the user name is longer than ${maxOsUsernameLength} characters`;
  }
  if (!osUsernamePattern.test(name)) {
    return 'an OS account name must start with a lower case letter or "_" and contain only lower case letters, digits, "_", "-" and "."';
  }
  return null;
}
