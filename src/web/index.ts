export * from './cookies.js';
export * from './html.js';
export * from './security-headers.js';
export * from './framework-errors.js';
