import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Source files stay ASCII. One non-ASCII character anywhere in a module's text makes V8 keep that
// text, and in the bundle the whole chunk holding it, as a two-byte string for the life of the
// process (scripts/bundle.mjs; bench/hub/memory-breakdown.ts measures it). esbuild escapes such
// characters in ordinary strings, but not in the static parts of tagged templates (the pages'
// html`...`), whose raw text it must keep. So: HTML entities in markup (&mdash;, &hellip;),
// \u escapes in strings, plain ASCII in comments. Tests may hold non-ASCII data.

const src = fileURLToPath(new URL('.', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** `line:column U+XXXX` for each non-ASCII character of `text`. */
function nonAscii(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, index) => {
    for (const [column, char] of [...line].entries()) {
      const code = char.codePointAt(0) ?? 0;
      if (code > 0x7f) found.push(`${index + 1}:${column + 1} U+${code.toString(16).toUpperCase().padStart(4, '0')}`);
    }
  });
  return found;
}

test('every source file under src/ (tests aside) is ASCII', () => {
  const files = sourceFiles(src);
  assert.ok(files.length > 100, `found only ${files.length} source files under ${src}`);
  const offenders: string[] = [];
  for (const file of files) {
    const name = relative(src, file).split('\\').join('/');
    const found = nonAscii(readFileSync(file, 'utf8'));
    if (found.length > 0) {
      offenders.push(`src/${name}: ${found.slice(0, 5).join(', ')}${found.length > 5 ? `, and ${found.length - 5} more` : ''}`);
    }
  }
  assert.deepEqual(offenders, [], 'use HTML entities in markup, \\u escapes in strings, ASCII in comments');
});

test('the check sees a non-ASCII character where it is', () => {
  assert.deepEqual(nonAscii('ok\nan \u2026 ellipsis'), ['2:4 U+2026']);
  assert.deepEqual(nonAscii('plain'), []);
});
