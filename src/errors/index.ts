export * from './bulwark-error.js';
export * from './catalog.js';
export * from './error-definition.js';
export * from './render-docs.js';
