import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expiryOptions } from './token-expiry-options.js';

const pairs = (max: number) => expiryOptions(max).map((option) => [option.label, option.value]);

test('without a maximum the page offers the fixed choices and Never', () => {
  assert.deepEqual(pairs(0), [
    ['1 Hour', '3600'],
    ['1 Day', '86400'],
    ['1 Week', '604800'],
    ['1 Month', '2592000'],
    ['1 Year', '31536000'],
    ['Never', ''],
  ]);
});

test('a maximum that is a choice ends the list; one that is not adds "Max (…)"', () => {
  assert.deepEqual(pairs(86_400), [
    ['1 Hour', '3600'],
    ['1 Day', '86400'],
  ]);
  assert.deepEqual(pairs(36 * 3600), [
    ['1 Hour', '3600'],
    ['1 Day', '86400'],
    ['Max (36 hours)', ''],
  ]);
  assert.deepEqual(pairs(10 * 86_400), [
    ['1 Hour', '3600'],
    ['1 Day', '86400'],
    ['1 Week', '604800'],
    ['Max (10 days)', ''],
  ]);
  assert.deepEqual(pairs(600), [['Max (10 minutes)', '']]);
});
