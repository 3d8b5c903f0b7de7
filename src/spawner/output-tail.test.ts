import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OutputTail } from './output-tail.js';

describe('OutputTail', () => {
  it('reassembles lines split across chunks and returns completed ones', () => {
    const tail = new OutputTail();
    assert.deepEqual(tail.push('hel'), []);
    assert.deepEqual(tail.push('lo\r\nwor'), ['hello']);
    assert.deepEqual(tail.push('ld\nagain'), ['world']);
    assert.equal(tail.text(), 'hello\nworld\nagain');
    assert.deepEqual(tail.flush(), ['again']);
    assert.equal(tail.text(), 'hello\nworld\nagain');
  });

  it('keeps partial lines of two streams apart', () => {
    const tail = new OutputTail();
    tail.push('out-a', 'stdout');
    tail.push('err-a\n', 'stderr');
    tail.push('-b\n', 'stdout');
    assert.equal(tail.text(), 'err-a\nout-a-b');
  });

  it('keeps only the last lines and clips long ones', () => {
    const tail = new OutputTail(2, 5);
    tail.push('one\ntwo\nthree\nabcdefghij\n');
    assert.equal(tail.text(), 'three\nabcde…');
  });
});
