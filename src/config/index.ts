export * from './errors.js';
export * from './load.js';
export * from './redact.js';
export * from './render.js';
export * from './schema.js';
export * from './schema-fields.js';
export { serviceSchema, type ServiceConfig } from './sections/services.js';
