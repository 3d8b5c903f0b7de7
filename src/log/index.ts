export * from './audit.js';
export * from './logger.js';
