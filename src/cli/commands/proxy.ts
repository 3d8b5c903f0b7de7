import type { Command } from '../command.js';

/** `bulwark proxy`: the standalone, configurable-http-proxy-compatible proxy. */
export const proxyCommands: Command[] = [];
