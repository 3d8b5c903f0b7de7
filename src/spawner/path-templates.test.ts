import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expandNotebookDir, expandUsername } from './path-templates.js';

const alice = { name: 'alice', home: '/home/alice' };

describe('expandNotebookDir', () => {
  it('expands {username} and ~', () => {
    assert.equal(expandNotebookDir('/srv/notebooks/{username}', alice), '/srv/notebooks/alice');
    assert.equal(expandNotebookDir('~', alice), '/home/alice');
    assert.equal(expandNotebookDir('~/work/{username}', alice), '/home/alice/work/alice');
  });

  it('takes relative paths from the home directory', () => {
    assert.equal(expandNotebookDir('notebooks', alice), '/home/alice/notebooks');
  });

  it('normalises absolute paths', () => {
    assert.equal(expandNotebookDir('/srv//x/./y/', alice), '/srv/x/y/');
  });
});

describe('expandUsername', () => {
  it('replaces every occurrence', () => {
    assert.equal(expandUsername('/tree/home/{username}/{username}', 'bob'), '/tree/home/bob/bob');
  });
});
