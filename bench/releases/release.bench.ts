// Releases: time to build (resolve) and prove a 250-project, 3-target release from a generated
// package set held in a real channel (SQLite, in-process), next to pip's own resolver
// (`pip install --dry-run --report`) resolving the same top-level requirements on the same index.
// Run: node --import tsx bench/releases/release.bench.ts
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { publishLocalFiles } from '../../src/channel/admin/ingest.js';
import { CandidatePool } from '../../src/channel/releases/candidate-pool.js';
import { checkRelease } from '../../src/channel/releases/check-release.js';
import { proveClosure } from '../../src/channel/releases/closure-proof.js';
import { createRelease } from '../../src/channel/releases/create-release.js';
import { publishRelease } from '../../src/channel/releases/publish-release.js';
import { releaseTarget } from '../../src/channel/releases/release-target.js';
import { resolveTarget } from '../../src/channel/releases/resolve-target.js';
import { parseTopLevel } from '../../src/channel/releases/top-level-requirements.js';
import { approveFiles } from '../../src/channel/review/approve-files.js';
import { cliActor } from '../../src/log/index.js';
import { DEBIAN_PYTHON, isolatedEnv, makeVenv, run } from '../../test/integration/channel/python-clients.js';
import { makeTempDir } from '../../test/helpers/temp-dir.js';
import { startTestChannel } from '../../test/helpers/test-channel.js';
import { buildWheel } from '../../test/helpers/wheel-builder.js';
import { generatePackageSet } from './package-set.js';

const PROJECTS = 250;
const TARGETS = ['cp311-manylinux_x86_64', 'cp312-manylinux_x86_64', 'cp312-manylinux_s390x'];
const ROUNDS = 5;

const ms = (start: number) => performance.now() - start;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const temp = makeTempDir('bulwark-bench-releases-');
const channel = await startTestChannel({ 'channel.policy.require_vetting': false });
try {
  const set = generatePackageSet(PROJECTS);
  const house = join(temp.path, 'wheelhouse');
  mkdirSync(house);
  const paths = set.wheels.map((spec) => {
    const wheel = buildWheel(spec);
    const path = join(house, wheel.filename);
    writeFileSync(path, wheel.bytes);
    return path;
  });
  const context = channel.handle.context;
  let start = performance.now();
  const ingested = await publishLocalFiles(context, paths, cliActor);
  const failed = ingested.filter((r) => r.outcome === 'failed').length;
  const names = [...new Set(set.wheels.map((w) => w.name))];
  for (const name of names) await approveFiles(context, name, undefined, { reason: 'bench', waive: [], expiresAt: new Date(Date.now() + 86_400_000) }, cliActor);
  const approved = (await context.catalog.allFiles()).filter((f) => f.state === 'approved').length;
  console.log(`setup: ${paths.length} wheels of ${names.length} projects ingested and approved in ${(ms(start) / 1000).toFixed(1)} s (${failed} failed, ${approved} approved)`);

  const topText = `${set.topLevel.join('\n')}\n`;
  const topLevel = parseTopLevel(topText);
  const targets = TARGETS.map(releaseTarget);

  // Pure parts, repeated: the catalog read, resolving each target, proving each target.
  const load: number[] = [];
  const resolve: number[][] = targets.map(() => []);
  const prove: number[][] = targets.map(() => []);
  let pinCounts: number[] = [];
  let attempts: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    start = performance.now();
    const pool = await CandidatePool.load(context.catalog);
    load.push(ms(start));
    const pins = new Map<string, Map<string, string>>();
    pinCounts = [];
    attempts = [];
    targets.forEach((target, t) => {
      start = performance.now();
      const outcome = resolveTarget(topLevel, pool.forTarget(target));
      resolve[t]?.push(ms(start));
      if (!outcome.ok) throw new Error(outcome.conflict.message);
      pinCounts.push(outcome.pins.size);
      attempts.push(outcome.attempts);
      pins.set(target.name, new Map([...outcome.pins].map(([name, c]) => [name, c.file.filename])));
    });
    targets.forEach((target, t) => {
      start = performance.now();
      const proof = proveClosure({ name: 'bench', targets: [target.name], topLevel, pins }, pool);
      prove[t]?.push(ms(start));
      if (!proof.closed) throw new Error(`not closed on ${target.name}`);
    });
  }

  // End to end through the store, as `release create|check|publish` run them.
  start = performance.now();
  const created = await createRelease({ catalog: context.catalog, releases: context.releases.releases }, { name: 'bench-1', requirements: topText, targets: TARGETS, actor: null, now: new Date().toISOString() });
  const createMs = ms(start);
  start = performance.now();
  const { proof } = await checkRelease({ catalog: context.catalog, releases: context.releases.releases }, 'bench-1');
  const checkMs = ms(start);
  start = performance.now();
  const published = await publishRelease({ catalog: context.catalog, store: context.store, releases: context.releases.releases }, 'bench-1', {
    channelUrl: channel.url,
    actor: null,
    now: new Date().toISOString(),
    toolVersion: 'bench',
  });
  const publishMs = ms(start);
  const distinct = new Set(created.pins.map((p) => p.project)).size;

  // pip's resolver on the same index and requirements, for the interpreter of the first target.
  const venv = await makeVenv(DEBIAN_PYTHON, join(temp.path, 'venv'));
  writeFileSync(join(temp.path, 'top.txt'), topText);
  const pipTimes: number[] = [];
  let pipPicked = new Map<string, string>();
  for (let round = 0; round < Number(process.env['BENCH_PIP_ROUNDS'] ?? 3); round++) {
    const report = join(temp.path, `report-${round}.json`);
    start = performance.now();
    const pip = await run(
      venv,
      ['-m', 'pip', 'install', '--isolated', '--no-cache-dir', '--dry-run', '--ignore-installed', '--report', report, '--only-binary', ':all:', '--index-url', channel.indexUrl, '-r', join(temp.path, 'top.txt')],
      { env: isolatedEnv(), timeoutMs: 600_000 },
    );
    pipTimes.push(ms(start));
    if (pip.code !== 0) throw new Error(`pip failed: ${pip.stderr.slice(-2000)}`);
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as { install: { metadata: { name: string; version: string } }[] };
    pipPicked = new Map(parsed.install.map((i) => [i.metadata.name.toLowerCase().replace(/[-_.]+/g, '-'), i.metadata.version]));
  }
  const ours = new Map(created.pins.filter((p) => p.target === TARGETS[0]).map((p) => [p.project, p.version]));
  const agree = [...ours].filter(([name, version]) => pipPicked.get(name) === version).length;
  const differ = [...ours].filter(([name, version]) => pipPicked.get(name) !== version).map(([name, version]) => `${name} ${version} (pip ${pipPicked.get(name) ?? '—'})`);
  if (process.env['BENCH_VERBOSE']) console.log(`differences: ${differ.join(', ')}`);
  const pipVersion = (await run(venv, ['-m', 'pip', '--version'], { env: isolatedEnv() })).stdout.split(' ')[1];

  const f = (v: number) => `${v.toFixed(1)} ms`;
  const lines = [
    `release of ${distinct} projects over ${TARGETS.length} targets (${created.pins.length} pins; per target ${pinCounts.join(' / ')}); ${topLevel.length} top-level requirements`,
    `catalog read (${approved} files):          median ${f(median(load))}`,
    ...targets.map((t, i) => `resolve ${t.name.padEnd(24)} median ${f(median(resolve[i] as number[]))} (${attempts[i]} decisions)`),
    ...targets.map((t, i) => `prove   ${t.name.padEnd(24)} median ${f(median(prove[i] as number[]))}`),
    `release create (read + resolve 3 targets + store): ${f(createMs)}`,
    `release check (read + prove 3 targets):            ${f(checkMs)} — ${proof.closed ? 'closed' : 'NOT closed'}`,
    `release publish (prove + ${published.documents.length} documents + store):   ${f(publishMs)}`,
    `pip ${pipVersion} install --dry-run --report (${TARGETS[0]} only): median ${f(median(pipTimes))} over ${pipTimes.length} runs; runs ${pipTimes.map((t) => (t / 1000).toFixed(1)).join(', ')} s`,
    `pip and Bulwark agree on ${agree}/${ours.size} pins for ${TARGETS[0]} (pip installs ${pipPicked.size})`,
  ];
  for (const line of lines) console.log(line);
} finally {
  await channel.close();
  temp.remove();
}
