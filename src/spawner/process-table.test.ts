import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseProcStat, parseRealUid } from './process-table.js';

describe('parseProcStat', () => {
  it('reads state, parent, group, session and start time', () => {
    const line =
      '4242 (python3) S 4200 4242 4242 0 -1 4194560 9000 0 0 0 30 5 0 0 20 0 3 0 123456 700000000 30000 18446744073709551615 1 1 0 0 0 0 0 16781312 2 0 0 0 17 1 0 0 0 0 0';
    assert.deepEqual(parseProcStat(line), { pid: 4242, state: 'S', ppid: 4200, pgid: 4242, sid: 4242, startTime: 123456 });
  });

  it('copes with spaces and parentheses in the command name', () => {
    const line = '77 (we (ird) name) Z 1 70 70 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 999 0 0 0';
    assert.deepEqual(parseProcStat(line), { pid: 77, state: 'Z', ppid: 1, pgid: 70, sid: 70, startTime: 999 });
  });

  it('rejects garbage', () => {
    assert.equal(parseProcStat('nonsense'), null);
    assert.equal(parseProcStat('12 (x) S'), null);
  });
});

describe('parseRealUid', () => {
  it('takes the first (real) uid', () => {
    assert.equal(parseRealUid('Name:\tpython3\nUid:\t1001\t1002\t1003\t1004\nGid:\t5\t5\t5\t5\n'), 1001);
    assert.equal(parseRealUid('Name:\tx\n'), null);
  });
});
