import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { notebookDirRefusal } from './notebook-dir-cleanup.js';

const home = '/home/alice';
const template = '/srv/nb/{username}/{servername}';

describe('notebookDirRefusal', () => {
  it('allows a per-server directory outside or inside the home', () => {
    assert.equal(notebookDirRefusal('/srv/nb/alice/lab', home, template), null);
    assert.equal(notebookDirRefusal('/home/alice/servers/lab', home, '~/servers/{servername}'), null);
  });

  it('refuses /, the home, anything above the home, relative and empty paths', () => {
    assert.match(notebookDirRefusal('/', home, template) ?? '', /root/);
    assert.match(notebookDirRefusal('/home/alice', home, template) ?? '', /home directory/);
    assert.match(notebookDirRefusal('/home', home, template) ?? '', /home directory/);
    assert.match(notebookDirRefusal('', home, template) ?? '', /empty/);
    assert.match(notebookDirRefusal('nb/lab', home, template) ?? '', /relative/);
  });

  it('refuses a directory every server of the user shares, or no notebook_dir at all', () => {
    assert.match(notebookDirRefusal('/srv/nb/alice', home, '/srv/nb/{username}') ?? '', /\{servername\}/);
    assert.match(notebookDirRefusal('/home/alice', home, null) ?? '', /not set/);
  });
});
