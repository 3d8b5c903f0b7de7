import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseByteRange } from './byte-range.js';

test('ranges: first-last, open-ended, suffix, clamped', () => {
  assert.deepEqual(parseByteRange('bytes=0-9', 100), { start: 0, end: 9 });
  assert.deepEqual(parseByteRange('bytes=90-', 100), { start: 90, end: 99 });
  assert.deepEqual(parseByteRange('bytes=-10', 100), { start: 90, end: 99 });
  assert.deepEqual(parseByteRange('bytes=50-500', 100), { start: 50, end: 99 });
});

test('unsatisfiable and ignored ranges', () => {
  assert.equal(parseByteRange('bytes=100-', 100), 'unsatisfiable');
  assert.equal(parseByteRange('bytes=-0', 100), 'unsatisfiable');
  assert.equal(parseByteRange(undefined, 100), undefined);
  assert.equal(parseByteRange('items=0-1', 100), undefined);
  assert.equal(parseByteRange('bytes=0-1,5-6', 100), undefined);
  assert.equal(parseByteRange('bytes=9-3', 100), undefined);
});
