export * from './certificate-summary.js';
export * from './keystore-spec.js';
export * from './load-keystore.js';
export * from './open-keystore.js';
export * from './parse-keystore-uri.js';
export * from './redact-keystore-uri.js';
export * from './reload-on-sighup.js';
export * from './tls-settings.js';
