#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js, from tsc) into a few ES module files under
// dist/cli/bundle/, which bin/bulwark runs. Node then reads a handful of files instead of about a
// thousand modules (Kysely alone is 288), which was most of the hub's start-up time. The lazily
// loaded CLI command groups stay separate chunks (code splitting), so `bulwark user …` does not
// load the hub. Native and worker-thread packages stay external: they are loaded from
// node_modules at run time, as before.
//
// The bundle sits two directories below dist/ on purpose: modules locate data beside themselves
// with `new URL(…, import.meta.url)`, and at this depth `../../../package.json` is the package's
// own file, as it is from dist/cli/commands/. The hub's static files and the password list are
// copied next to the chunks (`./static/`, `./data/`).
import { cpSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
// `node scripts/bundle.mjs [DIST]`: another tsc output directory (bench/hub builds into .tmp/).
const dist = pathToFileURL(`${resolve(process.argv[2] ?? fileURLToPath(new URL('dist', root)))}/`);
const outdir = fileURLToPath(new URL('cli/bundle/', dist));

/** Loaded with require()/import at run time, never inlined: native addons and pino's worker-thread transports. */
const external = ['better-sqlite3', 'better-sqlite3-napi', '@node-rs/*', 'pg-native', 'pino', 'pino-pretty', 'thread-stream'];

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: fileURLToPath(new URL('cli/main.js', dist)) },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  external,
  logLevel: 'warning',
  // V8 keeps every loaded module's source text in the heap for as long as the process runs (lazy
  // compilation and Function.prototype.toString need it): about 4 MB here, and doubled, because
  // one non-ASCII character in a comment makes the whole text a two-byte string. Dropping comments
  // and whitespace (names are kept, so stack traces still name functions; positions become columns
  // of long lines) and escaping non-ASCII characters leaves one-byte text, except in the pages'
  // tagged templates: the hub's source strings went from 6.9 to 2.8 MiB (bench/hub/memory-breakdown.ts).
  // Licence comments, if any, go to *.LEGAL.txt beside the chunks.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'external',
  charset: 'ascii',
  // CommonJS packages inside an ES module bundle need a require() of their own.
  banner: { js: "import { createRequire as bulwarkCreateRequire } from 'node:module'; const require = bulwarkCreateRequire(import.meta.url);" },
});
cpSync(fileURLToPath(new URL('src/hub/pages/static/', root)), `${outdir}static/`, { recursive: true });
cpSync(fileURLToPath(new URL('src/identity/data/', root)), `${outdir}data/`, { recursive: true });
