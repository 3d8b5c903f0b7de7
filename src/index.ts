// The package's main entry: the composition roots, for embedding Bulwark in another program.
export { loadConfig, type BulwarkConfig } from './config/index.js';
export { startHub, type HubHandle } from './server/hub-server.js';
