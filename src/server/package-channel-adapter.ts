import type { ChannelContext } from '../channel/channel-context.js';
import { requirementsPath } from '../channel/releases/release-documents.js';
import { chooseTarget, compareWithPins, inspectEnvironment } from '../hub/servers/environment-inspection.js';
import type { ChannelRelease, EnvironmentDrift, PackageChannelLink } from '../hub/servers/package-channel-link.js';
import type { HubAddresses } from './hub-server.js';

/**
 * The package channel link of `bulwark up`: the channel runs in this process, mounted on the
 * hub's listeners at `prefix` (e.g. '/channel/'). Servers reach it at the hub's server origin
 * (plain http on loopback even when the public listener is TLS, so no CA is handed out);
 * releases, requirements documents and pins come straight from the channel's release store.
 *
 * @example
 * ```ts
 * extend: async (services, addresses) => {
 *   const context = createChannelContext({ ... });
 *   return { mounts: [...], packageChannel: createChannelPackageLink(context, addresses, '/channel/', config.channel.require_auth) };
 * }
 * ```
 */
export function createChannelPackageLink(context: Pick<ChannelContext, 'releases'>, addresses: HubAddresses, prefix: string, requiresToken = false): PackageChannelLink {
  const { releases } = context.releases;
  const mount = prefix.endsWith('/') ? prefix : `${prefix}/`;
  async function published(name: string) {
    const record = await releases.get(name);
    return record?.state === 'published' ? record : undefined;
  }
  return {
    serverUrl: () => `${addresses.serverOrigin()}${mount}`,
    publicUrl: () => `${addresses.publicUrl()}${mount}`,
    caPem: () => null,
    // One identity store: a server's own API token (it holds channel:read) is its pip password.
    pipToken: (serverToken) => (requiresToken ? serverToken : null),
    async release(name): Promise<ChannelRelease | undefined> {
      const record = await published(name);
      return record ? { name: record.name, targets: record.targets } : undefined;
    },
    async requirements(name, target) {
      const document = (await published(name)) ? await releases.document(name, requirementsPath(target)) : undefined;
      if (!document) throw new Error(`release ${name} has no published requirements file for ${target}`);
      return document.body;
    },
    async verifyEnvironment(name, interpreter): Promise<EnvironmentDrift> {
      const record = await published(name);
      if (!record) throw new Error(`release ${name} is not published`);
      // The interpreter and the files it names are read as the person (see environment-inspection.ts).
      const facts = await inspectEnvironment(interpreter);
      const target = chooseTarget(record.targets, facts.markers);
      if (target === undefined) throw new Error(`release ${name} has no target for Python ${facts.markers.python_version} on ${facts.markers.sys_platform}/${facts.markers.platform_machine}`);
      const pins = new Map((await releases.pins(name)).filter((pin) => pin.target === target).map((pin) => [pin.project, pin.version]));
      return compareWithPins(facts.installed, pins);
    },
  };
}
