import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEBIAN_PYTHON, isolatedEnv, requireTool, run } from '../integration/channel/python-clients.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startTestChannel, type TestChannel } from '../helpers/test-channel.js';
import { buildWheel, type BuiltWheel } from '../helpers/wheel-builder.js';

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';
const HTML_TYPE = 'application/vnd.pypi.simple.v1+html';
const PIP_ACCEPT = `${JSON_TYPE}, ${HTML_TYPE}; q=0.1, text/html; q=0.01`;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Anchor {
  href: string;
  text: string;
  attributes: Map<string, string>;
}

/** Reads our anchors (our own markup, one per line) back into attributes, unescaping entities. */
function anchors(page: string): Anchor[] {
  const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return [...page.matchAll(/<a ([^>]*)>([^<]*)<\/a>/g)].map((match) => {
    const attributes = new Map([...(match[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1] ?? '', unescape(a[2] ?? '')]));
    return { href: attributes.get('href') ?? '', text: unescape(match[2] ?? ''), attributes };
  });
}

interface JsonFile {
  filename: string;
  url: string;
  hashes: Record<string, string>;
  'requires-python'?: string;
  'core-metadata'?: false | { sha256: string };
  'dist-info-metadata'?: unknown;
  yanked: boolean | string;
  size: number;
  'upload-time': string;
}

describe('Simple Repository API conformance (PEP 503/691/658/714/592/700/792)', () => {
  let channel: TestChannel;
  const wheels: Record<string, BuiltWheel> = {
    lib10: buildWheel({ name: 'conf-lib', version: '1.0', requiresPython: '>=3.8,<4' }),
    lib20: buildWheel({ name: 'conf-lib', version: '2.0', requiresPython: '>=3.8' }),
    app: buildWheel({ name: 'Conf_App', version: '0.1', requiresDist: ['conf-lib>=1.0'] }),
    held: buildWheel({ name: 'conf-held', version: '1.0' }),
    quarantined: buildWheel({ name: 'conf-bad', version: '1.0' }),
  };
  const project = (name: string, accept = PIP_ACCEPT) => fetch(`${channel.indexUrl}${name}/`, { headers: { accept }, redirect: 'manual' });

  before(async () => {
    channel = await startTestChannel();
    const token = await channel.token(['channel:publish']);
    const basic = `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}`;
    for (const wheel of Object.values(wheels)) {
      const form = new FormData();
      form.append(':action', 'file_upload');
      form.append('sha256_digest', wheel.sha256);
      form.append('content', new Blob([wheel.bytes]), wheel.filename);
      const response = await fetch(`${channel.url}legacy/`, { method: 'POST', body: form, headers: { authorization: basic } });
      assert.equal(response.status, 200, await response.text());
    }
    const { catalog } = channel.handle.context;
    const lib = await catalog.project('conf-lib');
    const files = await catalog.files(lib?.id ?? -1);
    await catalog.setYanked(files.filter((f) => f.version === '2.0').map((f) => f.id), true, 'broken "build" <see #12> & more');
    const held = await catalog.file(wheels.held?.filename ?? '');
    await catalog.setState([held?.id ?? -1], 'quarantined', null, new Date().toISOString());
    const bad = await catalog.project('conf-bad');
    await catalog.setProjectStatus(bad?.id ?? -1, 'quarantined', 'under review');
  });
  after(async () => channel?.close());

  describe('content negotiation', () => {
    const cases: Array<[string | undefined, number, string | undefined]> = [
      [undefined, 200, 'text/html'],
      ['*/*', 200, 'text/html'],
      ['text/html', 200, 'text/html'],
      [HTML_TYPE, 200, HTML_TYPE],
      [JSON_TYPE, 200, JSON_TYPE],
      [PIP_ACCEPT, 200, JSON_TYPE],
      ['application/vnd.pypi.simple.latest+json', 200, JSON_TYPE],
      ['application/vnd.pypi.simple.latest+html', 200, HTML_TYPE],
      [`${JSON_TYPE};q=0.2, text/html;q=0.8`, 200, 'text/html'],
      ['text/html;q=0, */*;q=0.5', 200, HTML_TYPE],
      ['application/json', 406, undefined],
      ['application/vnd.pypi.simple.v2+json', 406, undefined],
      [`${JSON_TYPE};q=0`, 406, undefined],
    ];
    for (const [accept, status, type] of cases) {
      for (const path of ['', 'conf-lib/']) {
        test(`Accept ${accept ?? '(none)'} on /simple/${path} → ${status} ${type ?? ''}`, async () => {
          const response = await fetch(`${channel.indexUrl}${path}`, { headers: accept === undefined ? {} : { accept } });
          const body = await response.text();
          assert.equal(response.status, status, body);
          assert.equal(response.headers.get('vary'), 'Accept');
          if (type === undefined) {
            assert.equal((JSON.parse(body) as { code: string }).code, 'CHANNEL_NOT_ACCEPTABLE');
            return;
          }
          assert.equal(response.headers.get('content-type')?.split(';')[0], type);
          if (type === JSON_TYPE) assert.equal((JSON.parse(body) as { meta: Record<string, string> }).meta['api-version'], '1.4');
          else assert.match(body, /<meta name="pypi:repository-version" content="1\.4">/);
        });
      }
    }
    test('?format= overrides Accept', async () => {
      const response = await fetch(`${channel.indexUrl}conf-lib/?format=${encodeURIComponent(JSON_TYPE)}`, { headers: { accept: 'text/html' } });
      assert.equal(response.headers.get('content-type')?.split(';')[0], JSON_TYPE);
    });
  });

  describe('names and redirects', () => {
    for (const [from, to] of [
      ['simple', 'simple/'],
      ['simple/Conf_App/', 'simple/conf-app/'],
      ['simple/conf.app/', 'simple/conf-app/'],
      ['simple/conf-app', 'simple/conf-app/'],
      ['simple/CONF__APP?format=text%2Fhtml', 'simple/conf-app/?format=text%2Fhtml'],
    ] as const) {
      test(`/${from} redirects (301) to /${to}`, async () => {
        const response = await fetch(`${channel.url}${from}`, { redirect: 'manual' });
        assert.equal(response.status, 301);
        assert.equal(response.headers.get('location'), `/${to}`);
      });
    }
    test('the root lists exactly the projects with installable files (and non-active ones)', async () => {
      const json = (await (await fetch(channel.indexUrl, { headers: { accept: JSON_TYPE } })).json()) as { projects: Array<{ name: string }> };
      assert.deepEqual(json.projects.map((p) => p.name), ['conf-app', 'conf-bad', 'conf-lib']);
      const html = await (await fetch(channel.indexUrl)).text();
      assert.deepEqual(anchors(html).map((a) => [a.href, a.text]), [['conf-app/', 'conf-app'], ['conf-bad/', 'conf-bad'], ['conf-lib/', 'conf-lib']]);
    });
    for (const accept of [JSON_TYPE, 'text/html']) {
      test(`unknown and unapproved projects are 404 (${accept}), never another index`, async () => {
        for (const name of ['requests', 'conf-held', 'no-such-thing']) {
          const response = await project(name, accept);
          assert.equal(response.status, 404, name);
        }
      });
    }
  });

  describe('project pages: HTML (PEP 503/592/658/714/792)', () => {
    test('one anchor per servable file with #sha256, escaped requires-python, metadata hash and yank reason', async () => {
      const response = await project('conf-lib', 'text/html');
      const page = await response.text();
      assert.match(page, /<meta name="pypi:project-status" content="active">/);
      assert.match(page, /data-requires-python="&gt;=3\.8,&lt;4"/);
      const links = anchors(page);
      assert.deepEqual(links.map((a) => a.text), [wheels.lib10?.filename, wheels.lib20?.filename]);
      for (const link of links) {
        const wheel = link.text === wheels.lib10?.filename ? wheels.lib10 : wheels.lib20;
        assert.ok(wheel);
        assert.match(link.href, new RegExp(`#sha256=${wheel.sha256}$`));
        const url = new URL(link.href, response.url);
        const file = await fetch(url);
        assert.equal(sha256(new Uint8Array(await file.arrayBuffer())), wheel.sha256);
        const metadata = Buffer.from(await (await fetch(new URL(`${url.pathname}.metadata`, url))).arrayBuffer());
        assert.ok(metadata.equals(wheel.metadata), '.metadata must be byte-identical to the wheel METADATA');
        assert.equal(link.attributes.get('data-core-metadata'), `sha256=${sha256(metadata)}`);
        assert.equal(link.attributes.get('data-dist-info-metadata'), link.attributes.get('data-core-metadata'));
      }
      assert.equal(links[0]?.attributes.has('data-yanked'), false);
      assert.equal(links[1]?.attributes.get('data-yanked'), 'broken "build" <see #12> & more');
      assert.match(page, /data-yanked="broken &quot;build&quot; &lt;see #12&gt; &amp; more"/);
    });
    test('a quarantined project shows its status and no files; its files are refused', async () => {
      const page = await (await project('conf-bad', 'text/html')).text();
      assert.match(page, /<meta name="pypi:project-status" content="quarantined">/);
      assert.match(page, /<meta name="pypi:project-status-reason" content="under review">/);
      assert.equal(anchors(page).length, 0);
      assert.equal((await fetch(`${channel.url}files/conf-bad/${wheels.quarantined?.filename}`)).status, 404);
    });
    test('an unapproved file is absent and refused at download', async () => {
      assert.equal((await fetch(`${channel.url}files/conf-held/${wheels.held?.filename}`)).status, 404);
      assert.equal((await fetch(`${channel.url}files/conf-held/${wheels.held?.filename}.metadata`)).status, 404);
    });
  });

  describe('project pages: JSON (PEP 691/700/714/792)', () => {
    test('files carry hashes, core-metadata (never dist-info-metadata), yanked, size, upload-time; versions listed', async () => {
      const response = await project('conf-lib');
      assert.equal(response.headers.get('content-type')?.split(';')[0], JSON_TYPE);
      const body = (await response.json()) as { meta: Record<string, string>; name: string; versions: string[]; files: JsonFile[]; 'project-status': { status: string } };
      assert.equal(body.meta['api-version'], '1.4');
      assert.equal(body.name, 'conf-lib');
      assert.deepEqual(body['project-status'], { status: 'active' });
      assert.deepEqual(body.versions, ['1.0', '2.0']);
      for (const file of body.files) {
        const wheel = file.filename === wheels.lib10?.filename ? wheels.lib10 : wheels.lib20;
        assert.ok(wheel);
        assert.deepEqual(file.hashes, { sha256: wheel.sha256 });
        assert.equal(file.size, wheel.bytes.length);
        assert.equal('dist-info-metadata' in file, false);
        assert.match(file['upload-time'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
        const metadata = Buffer.from(await (await fetch(new URL(`${file.url}.metadata`, response.url))).arrayBuffer());
        assert.deepEqual(file['core-metadata'], { sha256: sha256(metadata) });
        assert.ok(metadata.equals(wheel.metadata));
      }
      assert.equal(body.files[0]?.['requires-python'], '>=3.8,<4');
      assert.equal(body.files[0]?.yanked, false);
      assert.equal(body.files[1]?.yanked, 'broken "build" <see #12> & more');
    });
    test('a quarantined project reports its status and offers no files', async () => {
      const body = (await (await project('conf-bad')).json()) as { files: unknown[]; versions: unknown[]; 'project-status': unknown };
      assert.deepEqual(body['project-status'], { status: 'quarantined', reason: 'under review' });
      assert.deepEqual(body.files, []);
      assert.deepEqual(body.versions, []);
    });
  });

  describe('caching', () => {
    for (const accept of [JSON_TYPE, 'text/html']) {
      test(`index pages (${accept}): short max-age, ETag, 304`, async () => {
        for (const path of ['', 'conf-lib/']) {
          const first = await fetch(`${channel.indexUrl}${path}`, { headers: { accept } });
          await first.arrayBuffer();
          const maxAge = Number(/max-age=(\d+)/.exec(first.headers.get('cache-control') ?? '')?.[1]);
          assert.ok(maxAge > 0 && maxAge <= 600, first.headers.get('cache-control') ?? '');
          const etag = first.headers.get('etag');
          assert.ok(etag?.startsWith('"'));
          const second = await fetch(`${channel.indexUrl}${path}`, { headers: { accept, 'if-none-match': etag ?? '' } });
          assert.equal(second.status, 304);
          assert.equal((await second.text()).length, 0);
        }
      });
    }
    test('HTML and JSON of one page have different ETags', async () => {
      const a = await project('conf-lib', JSON_TYPE);
      const b = await project('conf-lib', 'text/html');
      assert.notEqual(a.headers.get('etag'), b.headers.get('etag'));
    });
    test('files: immutable, strong ETag = sha256, 304, ranges, 416', async () => {
      const wheel = wheels.lib10 as BuiltWheel;
      const url = `${channel.url}files/conf-lib/${wheel.filename}`;
      const full = await fetch(url);
      assert.ok(Buffer.from(await full.arrayBuffer()).equals(wheel.bytes));
      assert.match(full.headers.get('cache-control') ?? '', /immutable/);
      assert.match(full.headers.get('cache-control') ?? '', /max-age=365000000/);
      assert.equal(full.headers.get('etag'), `"${wheel.sha256}"`);
      assert.equal(full.headers.get('accept-ranges'), 'bytes');
      assert.equal((await fetch(url, { headers: { 'if-none-match': `"${wheel.sha256}"` } })).status, 304);
      const part = await fetch(url, { headers: { range: 'bytes=10-19' } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 10-19/${wheel.bytes.length}`);
      assert.ok(Buffer.from(await part.arrayBuffer()).equals(wheel.bytes.subarray(10, 20)));
      const tail = await fetch(url, { headers: { range: 'bytes=-5' } });
      assert.ok(Buffer.from(await tail.arrayBuffer()).equals(wheel.bytes.subarray(-5)));
      const stale = await fetch(url, { headers: { range: 'bytes=0-3', 'if-range': '"other"' } });
      assert.equal(stale.status, 200);
      await stale.arrayBuffer();
      const beyond = await fetch(url, { headers: { range: `bytes=${wheel.bytes.length}-` } });
      assert.equal(beyond.status, 416);
      assert.equal(beyond.headers.get('content-range'), `bytes */${wheel.bytes.length}`);
    });
  });

  test('pip ignores a yanked file unless it is pinned with ==', async () => {
    requireTool(DEBIAN_PYTHON, "Debian's python3");
    const temp = makeTempDir('bulwark-yank-');
    try {
      const download = async (requirement: string, dir: string) => {
        mkdirSync(join(temp.path, dir));
        const result = await run(DEBIAN_PYTHON, ['-m', 'pip', 'download', '--isolated', '--no-cache-dir', '--no-deps', '--only-binary', ':all:', '--index-url', channel.indexUrl, '-d', join(temp.path, dir), requirement], { env: isolatedEnv() });
        assert.equal(result.code, 0, result.stdout + result.stderr);
        return { files: readdirSync(join(temp.path, dir)), output: result.stdout + result.stderr };
      };
      const [unpinned, pinned] = await Promise.all([download('conf-lib', 'a'), download('conf-lib==2.0', 'b')]);
      assert.deepEqual(unpinned.files, [wheels.lib10?.filename]);
      assert.deepEqual(pinned.files, [wheels.lib20?.filename]);
      assert.match(pinned.output, /yanked.*broken "build"/is);
    } finally {
      temp.remove();
    }
  });
});

describe('read access with channel.require_auth', () => {
  let channel: TestChannel;
  let reader: string;
  let other: string;
  const wheel = buildWheel({ name: 'private-lib', version: '1.0' });
  const basic = (token: string) => `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}`;

  before(async () => {
    channel = await startTestChannel({ 'channel.require_auth': true });
    const publish = await channel.token(['channel:publish']);
    reader = await channel.token(['channel:read']);
    other = await channel.token(['read:users']);
    const form = new FormData();
    form.append(':action', 'file_upload');
    form.append('sha256_digest', wheel.sha256);
    form.append('content', new Blob([wheel.bytes]), wheel.filename);
    assert.equal((await fetch(`${channel.url}legacy/`, { method: 'POST', body: form, headers: { authorization: basic(publish) } })).status, 200);
  });
  after(async () => channel?.close());

  test('anonymous readers get 401 with a Basic challenge; tokens without channel:read get 403', async () => {
    for (const path of ['simple/', 'simple/private-lib/', `files/private-lib/${wheel.filename}`, '']) {
      const anonymous = await fetch(`${channel.url}${path}`, { headers: { accept: 'application/json' } });
      assert.equal(anonymous.status, 401, path);
      assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic /);
      assert.equal(((await anonymous.json()) as { code: string }).code, 'CHANNEL_AUTH_REQUIRED');
      const wrongScope = await fetch(`${channel.url}${path}`, { headers: { authorization: basic(other), accept: 'application/json' } });
      assert.equal(wrongScope.status, 403, path);
      const allowed = await fetch(`${channel.url}${path}`, { headers: { authorization: basic(reader) } });
      assert.equal(allowed.status, 200, path);
      assert.match(allowed.headers.get('cache-control') ?? '', /private/);
    }
  });

  test('pip reads with credentials in the index URL', async () => {
    const temp = makeTempDir('bulwark-auth-pip-');
    try {
      const index = channel.indexUrl.replace('http://', `http://__token__:${reader}@`);
      const result = await run(DEBIAN_PYTHON, ['-m', 'pip', 'download', '--isolated', '--no-cache-dir', '--no-deps', '--only-binary', ':all:', '--index-url', index, '-d', temp.path, `private-lib==1.0`], { env: isolatedEnv() });
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.deepEqual(readdirSync(temp.path), [wheel.filename]);
    } finally {
      temp.remove();
    }
  });
});
