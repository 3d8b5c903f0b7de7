import assert from 'node:assert/strict';
import { test } from 'node:test';
import { negotiateFormat, SIMPLE_HTML, SIMPLE_JSON, TEXT_HTML } from './negotiate.js';

test('no Accept and */* give HTML', () => {
  assert.equal(negotiateFormat(undefined), TEXT_HTML);
  assert.equal(negotiateFormat(''), TEXT_HTML);
  assert.equal(negotiateFormat('*/*'), TEXT_HTML);
});

test("pip's header picks JSON by q-value", () => {
  const pip = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01';
  assert.equal(negotiateFormat(pip), SIMPLE_JSON);
});

test('q-values decide, and q=0 excludes', () => {
  assert.equal(negotiateFormat('application/vnd.pypi.simple.v1+json;q=0.2, text/html;q=0.9'), TEXT_HTML);
  assert.equal(negotiateFormat('text/html;q=0, */*;q=0.1'), SIMPLE_HTML);
  assert.equal(negotiateFormat('application/vnd.pypi.simple.v1+html'), SIMPLE_HTML);
});

test('latest aliases answer with the real v1 type', () => {
  assert.equal(negotiateFormat('application/vnd.pypi.simple.latest+json'), SIMPLE_JSON);
  assert.equal(negotiateFormat('application/vnd.pypi.simple.latest+html'), SIMPLE_HTML);
});

test('nothing acceptable gives undefined (406)', () => {
  assert.equal(negotiateFormat('application/json'), undefined);
  assert.equal(negotiateFormat('application/vnd.pypi.simple.v2+json'), undefined);
  assert.equal(negotiateFormat('text/html;q=0'), undefined);
});

test('an exact match beats a wildcard of the same q', () => {
  assert.equal(negotiateFormat('*/*, application/vnd.pypi.simple.v1+json'), SIMPLE_JSON);
});
