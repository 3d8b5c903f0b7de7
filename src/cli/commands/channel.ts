import type { Command } from '../command.js';

/** `bulwark channel …`: serve, upload, ingest, fsck, yank (filled in by the channel work). */
export const channelCommands: Command[] = [];
