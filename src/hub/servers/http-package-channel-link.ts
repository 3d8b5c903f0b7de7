import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { chooseTarget, compareWithPins, inspectEnvironment } from './environment-inspection.js';
import type { ChannelRelease, EnvironmentDrift, InterpreterAsUser, PackageChannelLink } from './package-channel-link.js';

/** How the hub reaches a channel elsewhere: the CA to trust (null: the system store) and the read token. */
interface ChannelAccess {
  ca: string | null;
  token: string | null;
}

/** GET a small text document; undefined on 404. The token goes as HTTP Basic with user __token__, as pip sends it. */
function getText(url: string, access: ChannelAccess): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const headers = access.token === null ? {} : { authorization: `Basic ${Buffer.from(`__token__:${access.token}`).toString('base64')}` };
    const options = { timeout: 30_000, headers, ...(access.ca === null ? {} : { ca: access.ca }) };
    const request = (url.startsWith('https:') ? httpsGet : httpGet)(url, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode === 404) resolve(undefined);
        else if (response.statusCode === 200) resolve(body);
        else if (response.statusCode === 401 || response.statusCode === 403) reject(new Error(`GET ${url} answered ${response.statusCode}: ${refusal(access)}`));
        else reject(new Error(`GET ${url} answered ${response.statusCode ?? '?'}`));
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on('error', reject);
  });
}

/** What to fix when the channel refuses the hub. */
function refusal(access: ChannelAccess): string {
  return access.token === null
    ? 'the channel requires a token (channel.require_auth); set spawner.package_channel_token'
    : 'the channel refused the token of spawner.package_channel_token (it needs the channel:read scope there)';
}

/** `name==version` pins of a toolkit requirements file. */
function pinsOf(requirements: string): Map<string, string> {
  const pins = new Map<string, string>();
  for (const match of requirements.matchAll(/^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)/gm)) pins.set(match[1] ?? '', match[2] ?? '');
  return pins;
}

/**
 * spawner.package_channel_url: a channel elsewhere, reached over HTTP(S) only. The hub reads the
 * release's page and requirements documents; verify-env compares what is installed (versions,
 * and RECORD hashes) with the requirements file's pins.
 */
export function createHttpPackageChannelLink(options: { url: string; caPem: string | null; token?: string | null }): PackageChannelLink {
  const access: ChannelAccess = { ca: options.caPem, token: options.token ?? null };
  const root = options.url.endsWith('/') ? options.url : `${options.url}/`;
  const release = (name: string) => `${root}releases/${encodeURIComponent(name)}/`;
  const targets = new Map<string, string[]>();

  async function requirements(name: string, target: string): Promise<string> {
    const text = await getText(`${release(name)}requirements-${target}.txt`, access);
    if (text === undefined) throw new Error(`release ${name} has no requirements file for ${target}`);
    return text;
  }

  async function published(name: string): Promise<ChannelRelease | undefined> {
    const page = await getText(release(name), access);
    if (page === undefined) return undefined;
    // The release page links each target's requirements file.
    const found = [...new Set([...page.matchAll(/requirements-([A-Za-z0-9_.-]+)\.txt/g)].map((m) => m[1] ?? ''))].filter(Boolean);
    targets.set(name, found);
    return { name, targets: found };
  }

  return {
    serverUrl: () => root,
    publicUrl: () => root,
    // A channel elsewhere has its own accounts: servers' hub tokens mean nothing there, the read token does.
    pipToken: () => access.token,
    caPem: () => options.caPem,
    release: published,
    requirements,
    async verifyEnvironment(name, interpreter: InterpreterAsUser): Promise<EnvironmentDrift> {
      const facts = await inspectEnvironment(interpreter);
      const known = targets.get(name) ?? (await published(name))?.targets ?? [];
      const target = chooseTarget(known, facts.markers);
      if (target === undefined) throw new Error(`release ${name} has no target for Python ${facts.markers.python_version} on ${facts.markers.sys_platform}/${facts.markers.platform_machine}`);
      return compareWithPins(facts.installed, pinsOf(await requirements(name, target)));
    },
  };
}
