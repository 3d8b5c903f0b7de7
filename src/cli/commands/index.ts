import type { Command } from '../command.js';
import { configCommands } from './config.js';
import { dbCommands } from './db.js';
import { hubCommands } from './hub.js';
import { tokenCommands } from './token.js';
import { userCommands } from './user.js';

/** Every command of the CLI, in the order `bulwark --help` lists them. */
export const allCommands: readonly Command[] = [...hubCommands, ...userCommands, ...tokenCommands, ...configCommands, ...dbCommands];
