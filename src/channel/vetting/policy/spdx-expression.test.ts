import assert from 'node:assert/strict';
import { test } from 'node:test';
import { licenseAllowed } from './spdx-expression.js';

test('OR needs one side, AND both, WITH keeps the licence, * matches a family', () => {
  const allow = ['MIT*', 'BSD-*', 'Apache-2.0'];
  assert.equal(licenseAllowed('MIT', allow), true);
  assert.equal(licenseAllowed('mit-0', allow), true);
  assert.equal(licenseAllowed('GPL-3.0-only OR BSD-3-Clause', allow), true);
  assert.equal(licenseAllowed('GPL-3.0-only AND BSD-3-Clause', allow), false);
  assert.equal(licenseAllowed('(Apache-2.0 WITH LLVM-exception) AND MIT', allow), true);
  assert.equal(licenseAllowed('GPL-3.0-only', allow), false);
  assert.throws(() => licenseAllowed('MIT OR', allow));
  assert.throws(() => licenseAllowed('(MIT', allow));
});
