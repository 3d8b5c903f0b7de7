import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { removeCookies } from './cookie-header.js';

const hubCookies = new Set(['bulwark-hub-login', 'jupyterhub-hub-login']);

describe('removeCookies', () => {
  it('removes the named cookies and keeps the others unchanged', () => {
    assert.equal(
      removeCookies('a=1; bulwark-hub-login="s"; _xsrf=2|ab==; jupyterhub-hub-login=t', hubCookies),
      'a=1; _xsrf=2|ab==',
    );
    assert.equal(removeCookies('a=1;bulwark-hub-login=s;b=c=d', hubCookies), 'a=1; b=c=d');
  });

  it('returns undefined when no cookie is left', () => {
    assert.equal(removeCookies('bulwark-hub-login=s', hubCookies), undefined);
    assert.equal(removeCookies(undefined, hubCookies), undefined);
    assert.equal(removeCookies(' ; ', hubCookies), undefined);
  });

  it('compares names exactly: cookie names are case-sensitive', () => {
    assert.equal(removeCookies('Bulwark-Hub-Login=s; bulwark-hub-login-x=1', hubCookies), 'Bulwark-Hub-Login=s; bulwark-hub-login-x=1');
  });

  it('leaves the header alone when there is nothing to remove', () => {
    assert.equal(removeCookies('a=1;b=2', new Set()), 'a=1;b=2');
  });
});
