import { defaultSpawnerConfig } from '../../../src/spawner/default-spawner-config.js';
import type { SpawnerConfig } from '../../../src/spawner/spawner.js';
import { isBulwarkError, type ErrorCode } from '../../../src/errors/index.js';

/** JupyterHub's defaults, with waits short enough for a test suite. */
export function testSpawnerConfig(overrides: Partial<SpawnerConfig> = {}): SpawnerConfig {
  return {
    ...defaultSpawnerConfig,
    cmd: [...defaultSpawnerConfig.cmd],
    args: [],
    environment: {},
    start_timeout: 30,
    http_timeout: 20,
    interrupt_timeout: 5,
    term_timeout: 2,
    kill_timeout: 2,
    ...overrides,
  };
}

/** An assert.rejects validator: a BulwarkError with this code whose message contains every fragment. */
export function spawnerError(code: ErrorCode, ...fragments: string[]): (error: unknown) => boolean {
  return (error: unknown) => {
    if (!isBulwarkError(error)) throw new Error(`expected a BulwarkError, got ${String(error)}`);
    if (error.code !== code) throw new Error(`expected ${code}, got ${error.code}: ${error.message}`);
    for (const fragment of fragments) {
      if (!error.message.includes(fragment)) throw new Error(`message ${JSON.stringify(error.message)} lacks ${JSON.stringify(fragment)}`);
    }
    return true;
  };
}
