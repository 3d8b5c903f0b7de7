import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCookies, serializeCookie } from './cookies.js';
import { html, raw } from './html.js';

test('interpolated values are escaped unless they are SafeHtml', () => {
  const name = '<script>alert("x")</script>&\'';
  const out = html`<p title="${name}">${name}</p>${raw('<br>')}${html`<b>${'<i>'}</b>`}`.value;
  assert.equal(
    out,
    '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p><br><b>&lt;i&gt;</b>',
  );
});

test('lists render each item, and null, undefined and false render nothing', () => {
  assert.equal(html`${['a', '<b>', null, undefined, false]}`.value, 'a&lt;b&gt;');
});

test('cookies: quoted values are unquoted, first occurrence wins, attributes are safe by default', () => {
  const cookies = parseCookies('a="x=y"; b=1; a=2; bad; c=%20z');
  assert.equal(cookies.get('a'), 'x=y');
  assert.equal(cookies.get('b'), '1');
  assert.equal(cookies.get('c'), ' z');
  assert.equal(serializeCookie('n', 'v', { path: '/hub/' }), 'n=v; Path=/hub/; HttpOnly; SameSite=Lax');
  assert.match(serializeCookie('n', 'v', { path: '/', secure: true, maxAgeSeconds: 60 }), /Max-Age=60; HttpOnly; Secure; SameSite=Lax$/);
});
