import type { Command } from '../command.js';

/** `bulwark channel vet|approve|reject|waive|status|advisories …` (filled in by the vetting work). */
export const channelVettingCommands: Command[] = [];
