// Index-page and file throughput of the channel next to nginx serving the same bytes statically
// (Debian nginx, one worker, like our one Node process). Prints a table; no assertions.
//   node --import tsx bench/channel/index-throughput.ts [--seconds 5] [--connections 32]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeTempDir } from '../../test/helpers/temp-dir.js';
import { findFreePort } from '../../test/helpers/ports.js';
import { startTestChannel } from '../../test/helpers/test-channel.js';
import { buildWheel } from '../../test/helpers/wheel-builder.js';
import { runWrk, type WrkResult } from '../lib/wrk.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '32' } } });
const seconds = Number(values.seconds);
const connections = Number(values.connections);
for (const tool of ['/usr/sbin/nginx', '/usr/bin/wrk']) {
  if (!existsSync(tool)) throw new Error(`${tool} is missing: run scripts/setup.sh --test (installs nginx and wrk)`);
}

const temp = makeTempDir('bulwark-bench-');
// nginx's workers run as www-data and must be able to read the mirror.
chmodSync(temp.path, 0o755);
const channel = await startTestChannel();
let nginx: ReturnType<typeof spawn> | undefined;
try {
  // 50 projects with 4 files each, plus one ~5 MB wheel for the file transfer rows.
  const token = await channel.token(['channel:publish']);
  const auth = `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}`;
  const wheels = [];
  for (let p = 0; p < 50; p++) for (let v = 0; v < 4; v++) wheels.push(buildWheel({ name: `bench-${p}`, version: `1.${v}`, requiresPython: '>=3.8' }));
  const big = buildWheel({ name: 'bench-big', version: '1.0', files: { 'bench_big/blob.txt': randomBytes(3_750_000).toString('base64') } });
  wheels.push(big);
  for (const wheel of wheels) {
    const form = new FormData();
    form.append(':action', 'file_upload');
    form.append('sha256_digest', wheel.sha256);
    form.append('content', new Blob([wheel.bytes]), wheel.filename);
    const response = await fetch(`${channel.url}legacy/`, { method: 'POST', body: form, headers: { authorization: auth } });
    if (response.status !== 200) throw new Error(`upload failed: ${await response.text()}`);
  }

  // The static mirror: the channel's own HTML pages and files at the same paths.
  const root = join(temp.path, 'www');
  const small = wheels[0];
  if (!small) throw new Error('no wheels');
  for (const name of ['bench-0', 'bench-big']) {
    mkdirSync(join(root, 'simple', name), { recursive: true });
    writeFileSync(join(root, 'simple', name, 'index.html'), await (await fetch(`${channel.indexUrl}${name}/`)).text());
  }
  for (const wheel of [small, big]) {
    const project = wheel === big ? 'bench-big' : 'bench-0';
    mkdirSync(join(root, 'files', project), { recursive: true });
    writeFileSync(join(root, 'files', project, wheel.filename), wheel.bytes);
  }
  const port = await findFreePort();
  const conf = join(temp.path, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off; worker_processes 1; pid ${temp.path}/nginx.pid; error_log ${temp.path}/error.log warn;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000; etag on;
  types { text/html html; application/octet-stream whl; }
  client_body_temp_path ${temp.path}/body; proxy_temp_path ${temp.path}/proxy; fastcgi_temp_path ${temp.path}/fcgi; uwsgi_temp_path ${temp.path}/uwsgi; scgi_temp_path ${temp.path}/scgi;
  server { listen 127.0.0.1:${port}; root ${root}; index index.html;
    location /files/ { add_header Cache-Control "max-age=365000000, immutable"; } } }
`,
  );
  nginx = spawn('/usr/sbin/nginx', ['-c', conf, '-p', temp.path], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    if (await fetch(`http://127.0.0.1:${port}/simple/bench-0/`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const nginxUrl = `http://127.0.0.1:${port}/`;

  const rows: Array<[string, WrkResult, WrkResult]> = [];
  const targets: Array<[string, string, string[]]> = [
    ['index page /simple/bench-0/ (HTML)', 'simple/bench-0/', []],
    ['index page /simple/bench-0/ (JSON, channel only)', 'simple/bench-0/', ['-H', 'Accept: application/vnd.pypi.simple.v1+json']],
    ['root /simple/ (50 projects)', 'simple/', []],
    [`small file (${small.bytes.length} B)`, `files/bench-0/${small.filename}`, []],
    [`large file (${(big.bytes.length / 1e6).toFixed(1)} MB)`, `files/bench-big/${big.filename}`, []],
  ];
  // The root page of the static mirror is the channel's own, like the project pages.
  writeFileSync(join(root, 'simple', 'index.html'), await (await fetch(channel.indexUrl)).text());
  for (const [label, path, headers] of targets) {
    const ours = await runWrk(`${channel.url}${path}`, { seconds, connections, headers, threads: 2 });
    const theirs = headers.length > 0 ? ours : await runWrk(`${nginxUrl}${path}`, { seconds, connections, headers, threads: 2 });
    rows.push([label, ours, theirs]);
  }
  const format = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
  console.log(`\nwrk ${seconds}s, ${connections} connections, 2 threads; nginx 1 worker; Node ${process.version}\n`);
  console.log(`${'target'.padEnd(48)} ${'channel req/s'.padStart(14)} ${'nginx req/s'.padStart(12)} ${'ratio'.padStart(7)} ${'channel MB/s'.padStart(13)} ${'nginx MB/s'.padStart(11)} ${'p99 ch/ngx ms'.padStart(15)}`);
  for (const [label, ours, theirs] of rows) {
    if (ours.errors > 0 || theirs.errors > 0) console.log(`! ${label}: ${ours.errors} channel / ${theirs.errors} nginx errors or non-2xx answers`);
    const same = ours === theirs;
    console.log(
      `${label.padEnd(48)} ${format(ours.requestsPerSecond).padStart(14)} ${(same ? '—' : format(theirs.requestsPerSecond)).padStart(12)} ${(same ? '—' : (ours.requestsPerSecond / theirs.requestsPerSecond).toFixed(2)).padStart(7)} ${(ours.bytesPerSecond / 1e6).toFixed(1).padStart(13)} ${(same ? '—' : (theirs.bytesPerSecond / 1e6).toFixed(1)).padStart(11)} ${`${ours.p99Ms.toFixed(1)}/${same ? '—' : theirs.p99Ms.toFixed(1)}`.padStart(15)}`,
    );
  }
} finally {
  nginx?.kill('SIGTERM');
  await channel.close();
  temp.remove();
}
