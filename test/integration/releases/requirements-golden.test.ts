import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseRequirementsFile, pinnedRequirements } from '../../../src/pypkg/index.js';
import { renderRequirementsDocument } from '../../../src/channel/releases/requirements-document.js';

const dir = fileURLToPath(new URL('../../fixtures/toolkit-requirements/', import.meta.url));
const fixtures = readdirSync(dir).filter((name) => name.endsWith('.txt'));

for (const fixture of fixtures) {
  test(`the writer reproduces ${fixture} line by line, minus --trusted-host and --no-deps`, () => {
    const published = readFileSync(join(dir, fixture), 'utf8');
    const lines = published.split('\n');
    const indexUrl = lines.find((l) => l.startsWith('--index-url '))?.slice('--index-url '.length) ?? '';
    const environment = /generated for a (\S+) environment/.exec(published)?.[1] ?? '';
    const pins = pinnedRequirements(parseRequirementsFile(published)).map((pin) => ({
      name: pin.name,
      version: pin.version,
      sha256: pin.hashes[0]?.digest ?? '',
    }));
    assert.ok(pins.length > 200, 'the fixture is the real published file');

    const ours = renderRequirementsDocument({
      title: 'Python AI Toolkit for IBM z/OS',
      description: ['This is the complete list of packages that make up the Python AI', 'Toolkit for IBM z/OS.'],
      indexUrl,
      environment,
      pins,
    });
    const expected = lines
      .filter((line) => !line.startsWith('--trusted-host'))
      .map((line) => (line.startsWith('# Example use:') ? line.replace('pip install --no-deps -r', 'pip install -r') : line));
    const actual = ours.split('\n');
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) assert.equal(actual[i], expected[i], `line ${i + 1}`);
    assert.doesNotMatch(ours, /--trusted-host|--no-deps/);
    assert.equal(ours.match(/--hash=/g)?.length, pins.length, 'one hash per pin');
  });
}
