import type { Command } from '../command.js';

/**
 * Command groups by their first word, loaded only when used: `bulwark proxy` must not pay for the
 * hub's, channel's and database's modules (memory and start-up time). The order is the order
 * `bulwark --help` lists them.
 */
export const commandGroups: Readonly<Record<string, () => Promise<readonly Command[]>>> = {
  up: async () => (await import('./up.js')).upCommands,
  hub: async () => (await import('./hub.js')).hubCommands,
  proxy: async () => (await import('./proxy.js')).proxyCommands,
  channel: async () => [
    ...(await import('./channel.js')).channelCommands,
    ...(await import('./channel-vetting.js')).channelVettingCommands,
    ...(await import('./channel-release.js')).channelReleaseCommands,
  ],
  user: async () => (await import('./user.js')).userCommands,
  token: async () => (await import('./token.js')).tokenCommands,
  import: async () => (await import('./import.js')).importCommands,
  config: async () => (await import('./config.js')).configCommands,
  db: async () => (await import('./db.js')).dbCommands,
  keystore: async () => (await import('./keystore.js')).keystoreCommands,
};

/** The commands of one group, or of all groups when `group` is not one (for help and errors). */
export async function loadCommands(group: string | undefined): Promise<readonly Command[]> {
  const loader = group === undefined ? undefined : commandGroups[group];
  if (loader) return loader();
  const all = await Promise.all(Object.values(commandGroups).map((load) => load()));
  return all.flat();
}
