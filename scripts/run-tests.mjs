#!/usr/bin/env node
// Finds the test files of a tier and hands them to node's built-in runner (through tsx, so
// TypeScript runs without a build step). Node 20 has no glob support in `node --test`, so the
// file list is built here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tiers = {
  unit: ['src'],
  integration: ['test/integration', 'test/conformance'],
  e2e: ['test/e2e'],
};

function parseArgs(argv) {
  const selected = [];
  const filters = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--tier') selected.push(argv[++i]);
    else filters.push(argv[i]);
  }
  return { selected: selected.length > 0 ? selected : Object.keys(tiers), filters };
}

function findTests(dir) {
  let found = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return found;
  }
  for (const entry of entries) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) found = found.concat(findTests(full));
    else if (entry.endsWith('.test.ts')) found.push(full);
  }
  return found;
}

const { selected, filters } = parseArgs(process.argv.slice(2));
for (const tier of selected) {
  if (!(tier in tiers)) {
    console.error(`unknown test tier "${tier}"; expected one of ${Object.keys(tiers).join(', ')}`);
    process.exit(2);
  }
}
const files = selected
  .flatMap((tier) => tiers[tier].flatMap((dir) => findTests(join(root, dir))))
  .map((file) => relative(root, file))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const reporter = process.stdout.isTTY ? [] : ['--test-reporter=spec'];
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', ...reporter, ...files],
  // Child `bin/bulwark` processes run the sources too, never a possibly stale dist/.
  { cwd: root, stdio: 'inherit', env: { ...process.env, BULWARK_RUN_SOURCES: '1' } },
);
process.exit(result.status ?? 1);
