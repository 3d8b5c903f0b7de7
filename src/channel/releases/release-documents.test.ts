import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBulwarkError } from '../../errors/index.js';
import { licencesOf } from './licence-of.js';
import type { ReleaseFileView } from './release-file-view.js';
import { renderSbom, stableUuid } from './sbom-document.js';
import { parseTopLevel } from './top-level-requirements.js';

test('top-level requirements: PEP 508 lines only; options, includes and URLs are refused', () => {
  assert.deepEqual(parseTopLevel('# toolkit\njupyterlab>=4\n\nnumpy; platform_machine != "s390x"\n').map((r) => r.name), ['jupyterlab', 'numpy']);
  for (const text of ['--index-url https://pypi.org/simple\nfoo\n', '-r other.txt\n', 'foo @ https://example.org/foo.whl\n', '# nothing\n']) {
    assert.throws(() => parseTopLevel(text), (error) => isBulwarkError(error) && error.code === 'CHANNEL_RELEASE_INVALID', text);
  }
});

test('licences: License-Expression, else the first line of License, else classifiers', () => {
  const head = 'Metadata-Version: 2.4\nName: a\nVersion: 1\n';
  assert.deepEqual(licencesOf(`${head}License-Expression: MIT OR Apache-2.0\nLicense: ignored\n`), [{ expression: 'MIT OR Apache-2.0' }]);
  assert.deepEqual(licencesOf(`${head}License: BSD 3-Clause License\n        Copyright (c) someone\n`), [{ license: { name: 'BSD 3-Clause License' } }]);
  assert.deepEqual(licencesOf(`${head}Classifier: License :: OSI Approved :: MIT License\n`), [{ license: { name: 'MIT License' } }]);
  assert.deepEqual(licencesOf(head), []);
});

test('the SBOM is deterministic: same release, same bytes; serial numbers are valid UUIDs', () => {
  const file: ReleaseFileView = {
    target: 'cp312-manylinux_x86_64',
    project: 'six',
    version: '1.16.0',
    filename: 'six-1.16.0-py2.py3-none-any.whl',
    sha256: 'a'.repeat(64),
    size: 10,
    uploadedAt: '2026-01-01T00:00:00.000Z',
    requiresPython: null,
    dependencies: [],
    url: 'https://pkgs.example/releases/r/files/six/six-1.16.0-py2.py3-none-any.whl',
  };
  const input = { release: 'r', timestamp: '2026-01-02T00:00:00.000Z', toolVersion: '0.1.0', files: [file], licences: new Map(), topLevel: new Map([['cp312-manylinux_x86_64', ['six']]]) };
  assert.equal(renderSbom(input), renderSbom({ ...input, files: [{ ...file }] }));
  assert.match(stableUuid('anything'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const bom = JSON.parse(renderSbom(input)) as { dependencies: { ref: string; dependsOn: string[] }[] };
  assert.deepEqual(bom.dependencies.find((d) => d.ref === 'release:r')?.dependsOn, ['pypi-file:six-1.16.0-py2.py3-none-any.whl']);
});
