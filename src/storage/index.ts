export * from './database.js';
export * from './migration-context.js';
export * from './reusable-query.js';
export * from './schema-version.js';
export * from './sqlite-driver.js';
export type * from './tables.js';
