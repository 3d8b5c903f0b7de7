import { defineErrors } from '../error-definition.js';

/** Errors of the spawner: starting, watching and stopping users' servers. */
export const spawnerErrors = defineErrors({
  SPAWNER_NO_OS_ACCOUNT: {
    status: 500,
    message: 'Cannot start a server for {name}: there is no OS account named {name}',
    description: 'The local process spawner runs each server as the OS account of the same name; create it with useradd.',
  },
  SPAWNER_INVALID_USERNAME: {
    status: 500,
    message: 'Cannot start a server for {name}: {reason}',
    description: 'The local process spawner only accepts OS-style account names (lower case letters, digits, `_`, `-`, `.`, starting with a letter or `_`, at most 32 characters).',
  },
  SPAWNER_ACCOUNT_LOOKUP_FAILED: {
    status: 500,
    message: 'Cannot start a server for {name}: looking up the OS account failed: {reason}',
    description: '`getent passwd` could not be run or answered with an error other than "not found"; check NSS configuration.',
  },
  SPAWNER_ROOT_REFUSED: {
    status: 500,
    message: 'Refusing to start a server for {name}: the account has uid 0 (root)',
    description: 'Servers never run as root; give the person an ordinary OS account.',
  },
  SPAWNER_UID_TOO_LOW: {
    status: 500,
    message: 'Refusing to start a server for {name}: uid {uid} is below spawner.min_uid ({minUid})',
    description: 'Accounts below spawner.min_uid are system accounts; use an ordinary account or lower spawner.min_uid deliberately.',
  },
  SPAWNER_UID_SHARED: {
    status: 500,
    message: 'Refusing to start a server for {name}: uid {uid} is also the uid of account {other}',
    description: 'Two accounts share one uid, so processes, files and groups of one would belong to the other; give each person their own uid.',
  },
  SPAWNER_HOME_MISSING: {
    status: 500,
    message: 'Cannot start a server for {name}: home directory {home} {reason}',
    description: 'The account\'s home directory (from /etc/passwd) must exist and be a directory; create it (useradd -m, or mkhomedir).',
  },
  SPAWNER_HOME_NOT_OWNED: {
    status: 500,
    message: 'Refusing to start a server for {name}: home directory {home} is owned by uid {owner}, not by {name} (uid {uid})',
    description: 'The server runs in the home directory; it must belong to the account so that no one else controls what runs there.',
  },
  SPAWNER_HOME_WORLD_WRITABLE: {
    status: 500,
    message: 'Refusing to start a server for {name}: home directory {home} is writable by everyone (mode {mode})',
    description: 'Anyone could plant start-up files in a world-writable home; run `chmod o-w` on it.',
  },
  SPAWNER_NOTEBOOK_DIR_MISSING: {
    status: 500,
    message: 'Cannot start a server for {name}: notebook directory {path} {reason}',
    description: 'spawner.notebook_dir (after expanding `{username}` and `~`) must be an existing directory.',
  },
  SPAWNER_CMD_NOT_FOUND: {
    status: 500,
    message: 'Cannot start a server for {name}: command {command} {reason}',
    description: 'spawner.cmd[0] must be an absolute path or a name found on the servers\' PATH (/usr/local/bin:/usr/bin:/bin).',
  },
  SPAWNER_CMD_NOT_EXECUTABLE: {
    status: 500,
    message: 'Cannot start a server for {name}: command {command} is not executable by {name}',
    description: 'The account the server runs as must be allowed to execute spawner.cmd[0] (execute bit, directory permissions, no noexec mount).',
  },
  SPAWNER_INVALID_MEM_LIMIT: {
    status: 500,
    message: 'Invalid spawner.mem_limit {value}: use a byte count or a number with K, M, G or T',
    description: 'spawner.mem_limit takes values like 536870912, 512M or 2G (powers of 1024).',
  },
  SPAWNER_MEM_LIMIT_UNAVAILABLE: {
    status: 500,
    message: 'Cannot start a server for {name}: spawner.mem_limit is set but no way to enforce it works here: {reason}',
    description: 'Neither a cgroup memory controller nor prlimit is usable; fix the host or unset spawner.mem_limit.',
  },
  SPAWNER_LIMIT_UNAVAILABLE: {
    status: 500,
    message: 'Cannot start a server for {name}: spawner.{key} is set but no way to enforce it works here: {reason}',
    description: 'cpu_limit needs a cgroup cpu controller (v2 cpu.max or v1 cpu.cfs_quota_us); pids_limit a pids controller or prlimit. Fix the host or unset the key.',
  },
  SPAWNER_HOOK_FAILED: {
    status: 500,
    message: 'Cannot start a server for {name}: spawner.pre_spawn_hook failed: {reason}',
    description: 'The pre-spawn hook command exited with a non-zero status or ran past spawner.hook_timeout; its output is the reason.',
  },
  SPAWNER_NO_PORT: {
    status: 503,
    message: 'Cannot start a server for {name}: every port in spawner.port_range {range} is taken',
    description: 'All ports of spawner.port_range are in use; widen the range or stop servers.',
  },
  SPAWNER_LAUNCH_FAILED: {
    status: 500,
    message: 'Cannot start a server for {name}: launching {command} failed: {reason}',
    description: 'The process could not be created at all (missing setpriv, no free port, exec error); the reason says which.',
  },
  SPAWNER_PROCESS_EXITED: {
    status: 500,
    message: 'Server for {name} exited during start-up ({status}); last output:\n{output}',
    description: 'The server process ended before it answered HTTP; its last output lines usually say why.',
  },
  SPAWNER_HTTP_TIMEOUT: {
    status: 500,
    message: 'Server at {url} didn\'t respond in {seconds} seconds',
    description: 'The process kept running but never answered HTTP within spawner.http_timeout; it has been stopped.',
  },
  SPAWNER_START_TIMEOUT: {
    status: 500,
    message: 'Server for {name} did not start within {seconds} seconds (spawner.start_timeout)',
    description: 'Preflight, launch and readiness together took longer than spawner.start_timeout; the process has been stopped.',
  },
  SPAWNER_PACKAGE_CHANNEL_MISSING: {
    status: 500,
    message: 'spawner.package_channel is "{channel}" but there is no package channel: set spawner.package_channel_url, or run the hub and the channel together with `bulwark up`',
    description: 'Servers bound to a package channel need one to reach: the channel mounted by `bulwark up`, or one elsewhere named by spawner.package_channel_url.',
  },
  SPAWNER_PACKAGE_CHANNEL_TOKEN_UNAVAILABLE: {
    status: 500,
    message: 'spawner.package_channel_token: cannot read the package channel\'s read token from {source}: {reason}',
    description:
      'The hub reads the token for a channel elsewhere (spawner.package_channel_url with channel.require_auth) at start-up, from the file, environment variable or kernel keyring entry the key names; it must exist, be readable by the hub and hold one token without whitespace.',
  },
  SPAWNER_PACKAGE_CHANNEL_FAILED: {
    status: 500,
    message: 'Cannot start a server for {name}: the package channel at {url} could not be used: {reason}',
    description: 'The hub could not read the configured release (or its requirements file) from the package channel; check spawner.package_channel and that the release is published.',
  },
  SPAWNER_PIP_CONFIG_FAILED: {
    status: 500,
    message: 'Cannot start a server for {name}: writing its pip configuration in {dir} failed: {reason}',
    description: 'The hub writes each server\'s pip.conf into spawner.pip_config_dir, a directory it owns (mode 0711); it refuses a directory that is a symlink, owned by someone else or writable by others.',
  },
  SPAWNER_VENV_FAILED: {
    status: 500,
    message: 'Cannot start a server for {name}: building the environment {path} from release {release} failed: {reason}',
    description: 'spawner.venv_from_release creates the venv as the person and installs the release\'s requirements file with --require-hashes; the last lines of the failing step are quoted. The half-built venv is removed, so the next start tries again.',
  },
});
