import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePasswdLine } from './passwd-entry.js';

describe('parsePasswdLine', () => {
  it('reads the fields the spawner uses', () => {
    assert.deepEqual(parsePasswdLine('alice:x:1001:1002:Alice A,,,:/home/alice:/bin/bash\n'), {
      name: 'alice',
      uid: 1001,
      gid: 1002,
      home: '/home/alice',
      shell: '/bin/bash',
    });
  });

  it('keeps an empty shell empty', () => {
    assert.equal(parsePasswdLine('svc:x:1005:1005::/srv/svc:')?.shell, '');
  });

  it('rejects malformed lines', () => {
    assert.equal(parsePasswdLine('alice:x:1001:1002:/home/alice:/bin/bash'), null);
    assert.equal(parsePasswdLine('alice:x:abc:1002::/home/alice:/bin/bash'), null);
    assert.equal(parsePasswdLine(''), null);
  });
});
