export * from './decode-name.js';
export * from './extract-entry.js';
export * from './read-central-directory.js';
export * from './read-end-record.js';
export * from './read-local-header.js';
export * from './read-zip.js';
export * from './zip-format.js';
export * from './zip-writer.js';
