import type { Command } from '../command.js';
import { channelVettingCommands } from './channel-vetting.js';
import { channelCommands } from './channel.js';
import { configCommands } from './config.js';
import { dbCommands } from './db.js';
import { hubCommands } from './hub.js';
import { proxyCommands } from './proxy.js';
import { tokenCommands } from './token.js';
import { userCommands } from './user.js';

/** Every command of the CLI, in the order `bulwark --help` lists them. */
export const allCommands: readonly Command[] = [
  ...hubCommands,
  ...proxyCommands,
  ...channelCommands,
  ...channelVettingCommands,
  ...userCommands,
  ...tokenCommands,
  ...configCommands,
  ...dbCommands,
];
