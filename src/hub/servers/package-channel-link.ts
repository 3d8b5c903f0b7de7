/**
 * What the hub needs from the package channel to bind single-user servers' pip to it. The hub
 * never imports the channel: the composition root supplies an implementation (the channel in the
 * same process for `bulwark up`, plain HTTP for spawner.package_channel_url).
 */

/** A published release as the hub sees it. */
export interface ChannelRelease {
  name: string;
  /** pypkg target names, e.g. `cp311-manylinux_x86_64`. */
  targets: string[];
}

/** An interpreter that must only ever run as its owner: the account setpriv switches to. */
export interface InterpreterAsUser {
  python: string;
  account: { name: string; gid: number };
}

/** The outcome of comparing an environment with its release (verify-env). */
export interface EnvironmentDrift {
  clean: boolean;
  /** One line per difference, e.g. `extra: requests 2.31.0`, `modified: numpy (2 files)`. */
  differences: string[];
}

export interface PackageChannelLink {
  /** The channel's root URL as single-user servers reach it, ending in '/'. */
  serverUrl(): string;
  /** The channel's root URL as people's browsers reach it, ending in '/' (links on hub pages). */
  publicUrl(): string;
  /** PEM of the CA servers must trust for an https serverUrl(), or null (plain http, or the system store). */
  caPem(): string | null;
  /**
   * The token a server's pip sends as the index URL's password (user __token__), or null when the
   * channel is read anonymously. The channel of `bulwark up` with channel.require_auth shares the
   * hub's accounts, so it is the server's own API token (`serverToken`); a channel elsewhere has
   * accounts of its own, so it is the read token spawner.package_channel_token names.
   */
  pipToken(serverToken: string): string | null;
  /** A published release, or undefined when there is no such published release. */
  release(name: string): Promise<ChannelRelease | undefined>;
  /** The published requirements file of one target of a release (toolkit format, with hashes). */
  requirements(release: string, target: string): Promise<string>;
  /** Compares the interpreter's installed distributions with the release; the interpreter runs as its owner. */
  verifyEnvironment(release: string, interpreter: InterpreterAsUser): Promise<EnvironmentDrift>;
}

/** `spawner.package_channel` value that means the whole approved index rather than a release. */
export const APPROVED_INDEX = 'approved';

/** The index a server's pip uses: the channel's approved index or the release-scoped one. */
export function channelIndexUrl(root: string, packageChannel: string): string {
  return packageChannel === APPROVED_INDEX ? `${root}simple/` : `${root}releases/${encodeURIComponent(packageChannel)}/simple/`;
}

/** `url` with `__token__:<token>@` as its credentials, the form pip sends as HTTP Basic. */
export function withTokenCredentials(url: string, token: string): string {
  const parsed = new URL(url);
  parsed.username = '__token__';
  parsed.password = token;
  return parsed.toString();
}

/** The page people follow from the hub's home page. */
export function channelPageUrl(root: string, packageChannel: string): string {
  return packageChannel === APPROVED_INDEX ? `${root}simple/` : `${root}releases/${encodeURIComponent(packageChannel)}/`;
}
