import { basename } from 'node:path';
import type { BulwarkConfig } from '../../config/index.js';
import { BulwarkError, isBulwarkError } from '../../errors/index.js';
import type { Logger } from '../../log/index.js';
import { serverFiles, serverFileStem } from '../../spawner/pip-config-file.js';
import { pipEnvironment, renderPipConf, type PipSettingsInput } from '../../spawner/pip-settings.js';
import { runPreflight } from '../../spawner/preflight.js';
import { readPythonMarkers } from '../../spawner/python-markers.js';
import { ensureReleaseVenv } from '../../spawner/release-venv.js';
import { runAsAccount } from '../../spawner/run-as-account.js';
import { serverSearchPath } from '../../spawner/server-environment.js';
import type { PasswdEntry } from '../../spawner/passwd-entry.js';
import { chooseTarget } from './environment-inspection.js';
import { expandVenvDir } from './venv-dir.js';
import { APPROVED_INDEX, channelIndexUrl, withTokenCredentials, type PackageChannelLink } from './package-channel-link.js';

export type PackageEnvironmentConfig = Pick<
  BulwarkConfig['spawner'],
  'package_channel' | 'venv_from_release' | 'venv_dir' | 'python' | 'venv_build_timeout' | 'pip_config_dir' | 'min_uid' | 'notebook_dir' | 'cmd'
>;

/** What one server start gets from the package channel binding. */
export interface PreparedEnvironment {
  uid: number;
  /** Variables the spawner sets after its own (PATH included). */
  environment: Record<string, string>;
  /** Replaces spawner.cmd: the venv's python running jupyterhub.singleuser. */
  command?: string[];
}

export interface PackageEnvironment {
  /** `serverToken` is the server's own API token: pip's credentials when the channel shares the hub's accounts and requires a token. */
  prepare(username: string, serverName: string, progress: (message: string) => void, serverToken: string): Promise<PreparedEnvironment>;
  /** Removes the server's generated pip.conf and CA file (on stop, exit or a failed start). */
  release(uid: number, serverName: string): Promise<void>;
}

const SUFFIXES = ['.pip.conf', '.ca.pem'] as const;

/** The variables every command the hub runs as the person gets: nothing of the hub's own. */
function accountEnvironment(account: PasswdEntry): Record<string, string> {
  return { HOME: account.home, USER: account.name, LOGNAME: account.name, PATH: serverSearchPath, LANG: 'C.UTF-8' };
}

/**
 * spawner.package_channel: on every start, a pip.conf and PIP_* variables that make the server's
 * pip resolve from the channel alone; with spawner.venv_from_release, the person's venv built from
 * the release on first start and compared with it (verify-env) on each later one.
 */
export function createPackageEnvironment(config: PackageEnvironmentConfig, link: PackageChannelLink, logger: Logger): PackageEnvironment {
  const channel = config.package_channel ?? APPROVED_INDEX;
  const isRelease = channel !== APPROVED_INDEX;
  const files = serverFiles(config.pip_config_dir);
  const log = logger.child({ component: 'package-environment' });
  /** One build or check per venv at a time: two named servers of one person share the venv. */
  const venvTurns = new Map<string, Promise<unknown>>();
  function inTurn<T>(venvDir: string, work: () => Promise<T>): Promise<T> {
    const previous = venvTurns.get(venvDir) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    const settled = next.catch(() => undefined);
    venvTurns.set(venvDir, settled);
    void settled.then(() => {
      if (venvTurns.get(venvDir) === settled) venvTurns.delete(venvDir);
    });
    return next;
  }

  function channelFailure(username: string, reason: string): BulwarkError {
    return new BulwarkError('SPAWNER_PACKAGE_CHANNEL_FAILED', { name: username, url: link.serverUrl(), reason });
  }

  async function writeFiles(account: PasswdEntry, serverName: string, userSite: boolean, serverToken: string): Promise<Record<string, string>> {
    const stem = serverFileStem(account.uid, serverName);
    try {
      const ca = link.caPem();
      const certPath = ca === null ? null : await files.write(stem, '.ca.pem', ca, account);
      const indexUrl = channelIndexUrl(link.serverUrl(), channel);
      // The files and variables are readable by the person only: the server's own token, or the
      // shared read token of a channel elsewhere (channel:read only, so seeing it grants no more).
      const token = link.pipToken(serverToken);
      const settings: PipSettingsInput = { indexUrl: token === null ? indexUrl : withTokenCredentials(indexUrl, token), certPath, userSite };
      const confPath = await files.write(stem, '.pip.conf', renderPipConf(settings), account);
      return pipEnvironment(settings, confPath);
    } catch (error) {
      throw new BulwarkError('SPAWNER_PIP_CONFIG_FAILED', { name: account.name, dir: config.pip_config_dir, reason: (error as Error).message }, { cause: error });
    }
  }

  async function requirementsFor(account: PasswdEntry, env: Record<string, string>): Promise<string> {
    const found = await link.release(channel);
    if (!found) throw channelFailure(account.name, `release ${channel} is not published there`);
    const markers = await readPythonMarkers(account, config.python, env);
    const target = chooseTarget(found.targets, markers);
    if (target === undefined) {
      throw channelFailure(account.name, `release ${channel} has no target for ${config.python} (Python ${markers.python_version}, ${markers.sys_platform}/${markers.platform_machine}); its targets: ${found.targets.join(', ')}`);
    }
    return link.requirements(channel, target);
  }

  async function checkDrift(account: PasswdEntry, python: string, progress: (message: string) => void): Promise<void> {
    try {
      const drift = await link.verifyEnvironment(channel, { python, account });
      if (drift.clean) {
        progress(`Your environment matches release ${channel}`);
        return;
      }
      log.warn({ user: account.name, release: channel, python, differences: drift.differences }, 'environment differs from its release');
      progress(`Warning: your environment differs from release ${channel}: ${drift.differences.join('; ')}`);
    } catch (error) {
      log.warn({ user: account.name, release: channel, err: error }, 'cannot compare the environment with its release');
      progress(`Warning: your environment could not be compared with release ${channel}: ${(error as Error).message}`);
    }
  }

  async function removeFiles(uid: number, serverName: string): Promise<void> {
    await files.remove(serverFileStem(uid, serverName), SUFFIXES).catch((error: unknown) => log.warn({ err: error, uid }, 'cannot remove a server\'s pip configuration'));
  }

  /** No venv: Debian's system Python, installs into the person's user site. */
  async function withUserSite(account: PasswdEntry, pipEnv: Record<string, string>): Promise<PreparedEnvironment> {
    // A user site that exists when the kernel starts is on its sys.path, so `%pip install x`
    // then `import x` works without restarting the kernel.
    const site = await runAsAccount(account, [config.python, '-I', '-c', 'import os, site; os.makedirs(site.getusersitepackages(), exist_ok=True)'], {
      env: accountEnvironment(account),
      cwd: account.home,
      timeoutMs: 30_000,
    });
    if (!site.ok) log.warn({ user: account.name, status: site.status, output: site.tail }, 'cannot create the user site directory');
    return { uid: account.uid, environment: pipEnv };
  }

  /** spawner.venv_from_release: the person's venv, built once (one build per venv at a time), checked on later starts. */
  async function withVenv(account: PasswdEntry, venvDir: string, pipEnv: Record<string, string>, progress: (message: string) => void): Promise<PreparedEnvironment> {
    const env = { ...accountEnvironment(account), ...pipEnv };
    const venv = await inTurn(venvDir, () =>
      ensureReleaseVenv({
        account,
        venvDir,
        basePython: config.python,
        release: channel,
        requirements: () => requirementsFor(account, env),
        env,
        timeoutMs: config.venv_build_timeout * 1000,
        progress,
      }),
    );
    if (!venv.created) await checkDrift(account, venv.python, progress);
    const singleuser = config.cmd[0] !== undefined && basename(config.cmd[0]) === 'jupyterhub-singleuser';
    return {
      uid: account.uid,
      environment: { ...pipEnv, VIRTUAL_ENV: venvDir, PATH: `${venvDir}/bin:${serverSearchPath}` },
      // Debian's jupyterhub 3.0 runs as a module; from the venv's python the kernel is the venv's too.
      ...(singleuser ? { command: [venv.python, '-m', 'jupyterhub.singleuser', ...config.cmd.slice(1)] } : {}),
    };
  }

  return {
    async prepare(username, serverName, progress, serverToken) {
      // The same checks as the spawner's, before anything runs as the account.
      const { account } = await runPreflight(username, { cmd: [config.python], notebook_dir: config.notebook_dir, min_uid: config.min_uid }, serverName);
      if (isRelease) {
        const found = await link.release(channel).catch((error: unknown) => {
          throw channelFailure(username, (error as Error).message);
        });
        if (!found) throw channelFailure(username, `release ${channel} is not published there`);
      }
      const venvDir = config.venv_from_release ? expandVenvDir(config.venv_dir, account, channel) : null;
      progress(`Binding pip to the package channel (${isRelease ? `release ${channel}` : 'approved packages'})`);
      const pipEnv = await writeFiles(account, serverName, venvDir === null, serverToken);
      try {
        return venvDir === null ? await withUserSite(account, pipEnv) : await withVenv(account, venvDir, pipEnv, progress);
      } catch (error) {
        await removeFiles(account.uid, serverName);
        throw isBulwarkError(error) ? error : channelFailure(username, (error as Error).message);
      }
    },
    release: removeFiles,
  };
}
