import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isBulwarkError } from '../errors/index.js';
import { parseMemLimit } from './mem-limit.js';

describe('parseMemLimit', () => {
  it('reads byte counts and 1024-based units', () => {
    assert.equal(parseMemLimit('536870912'), 536870912);
    assert.equal(parseMemLimit('512M'), 512 * 1024 ** 2);
    assert.equal(parseMemLimit('2G'), 2 * 1024 ** 3);
    assert.equal(parseMemLimit('1.5g'), 1.5 * 1024 ** 3);
    assert.equal(parseMemLimit('64K'), 65536);
    assert.equal(parseMemLimit('1T'), 1024 ** 4);
    assert.equal(parseMemLimit('256MB'), 256 * 1024 ** 2);
  });

  it('rejects anything else with SPAWNER_INVALID_MEM_LIMIT', () => {
    for (const value of ['', 'lots', '-1G', '0', '12Q', '1e9']) {
      assert.throws(
        () => parseMemLimit(value),
        (error: unknown) => isBulwarkError(error) && error.code === 'SPAWNER_INVALID_MEM_LIMIT',
        value,
      );
    }
  });
});
