import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeHost, pathSegments } from './path-segments.js';

describe('pathSegments', () => {
  it('splits on slashes and drops empty segments', () => {
    assert.deepEqual(pathSegments('/user//alice/'), ['user', 'alice']);
    assert.deepEqual(pathSegments('/'), []);
    assert.deepEqual(pathSegments(''), []);
  });

  it('stops at the query or fragment', () => {
    assert.deepEqual(pathSegments('/a/b?c=/d#e'), ['a', 'b']);
    assert.deepEqual(pathSegments('/a#b?c'), ['a']);
  });

  it('resolves plain and percent-encoded dot segments, never above the root', () => {
    assert.deepEqual(pathSegments('/a/./b/../c'), ['a', 'c']);
    assert.deepEqual(pathSegments('/a/%2e/b/%2E%2e/c'), ['a', 'c']);
    assert.deepEqual(pathSegments('/../../a'), ['a']);
  });

  it('keeps other percent-encoding as is', () => {
    assert.deepEqual(pathSegments('/user/%61lice'), ['user', '%61lice']);
  });
});

describe('normalizeHost', () => {
  it('lower-cases and drops the port and trailing dot', () => {
    assert.equal(normalizeHost('Hub.Example.ORG.:8443'), 'hub.example.org');
    assert.equal(normalizeHost('[::1]:8000'), '[::1]');
    assert.equal(normalizeHost('example.org'), 'example.org');
  });
});
