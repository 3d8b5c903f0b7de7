import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { osUsernameProblem } from './os-username.js';

describe('osUsernameProblem', () => {
  it('accepts ordinary account names', () => {
    for (const name of ['alice', 'bob-2', '_svc', 'first.last', 'a']) {
      assert.equal(osUsernameProblem(name), null, name);
    }
  });

  it('refuses names that could act as paths, options or numbers', () => {
    for (const name of ['', '..', '.', '../etc', 'a/b', '-rf', '1000', 'Alice', 'a b', 'al\nice', 'a:b', 'x'.repeat(33)]) {
      assert.notEqual(osUsernameProblem(name), null, JSON.stringify(name));
    }
  });
});
