import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createActivityRecorder } from './activity-recorder.js';
import type { Route } from './route-table.js';

function route(prefix: string): Route {
  return { prefix, target: 'http://127.0.0.1:1', data: {}, lastActivity: new Date(0) };
}

describe('createActivityRecorder', () => {
  it('records at most once per interval per route', () => {
    let clock = 10_000;
    const seen: string[] = [];
    const recorder = createActivityRecorder({ onActivity: (r) => seen.push(r.prefix), intervalMs: 1000, now: () => clock });
    const alice = route('/user/alice');
    const bob = route('/user/bob');
    recorder.record(alice);
    recorder.record(alice);
    recorder.record(bob);
    assert.deepEqual(seen, ['/user/alice', '/user/bob']);
    assert.equal(alice.lastActivity.getTime(), 10_000);
    clock += 999;
    recorder.record(alice);
    assert.equal(seen.length, 2);
    clock += 1;
    recorder.record(alice);
    assert.deepEqual(seen, ['/user/alice', '/user/bob', '/user/alice']);
    assert.equal(alice.lastActivity.getTime(), 11_000);
  });

  it('works without a listener', () => {
    const alice = route('/user/alice');
    createActivityRecorder({ now: () => 5 }).record(alice);
    assert.equal(alice.lastActivity.getTime(), 5);
  });
});
