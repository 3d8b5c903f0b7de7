import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pipEnvironment, renderPipConf } from './pip-settings.js';
import { requirementsWithoutSources } from './release-venv.js';
import { buildServerEnvironment } from './server-environment.js';

describe('pip settings of a server bound to the package channel', () => {
  const index = 'http://127.0.0.1:8000/channel/releases/r1/simple/';

  it('pip.conf names the index alone, empties every list that could add a source, and wants wheels only', () => {
    const text = renderPipConf({ indexUrl: index, certPath: null, userSite: false });
    const lines = text.split('\n');
    for (const line of [`index-url = ${index}`, 'extra-index-url =', 'find-links =', 'constraint =', 'only-binary = :all:']) assert.ok(lines.includes(line), line);
    assert.doesNotMatch(text, /cert|user = true|break-system-packages/);
  });

  it('without a venv, installs go to the user site of the externally managed system Python', () => {
    const text = renderPipConf({ indexUrl: index, certPath: '/run/bulwark/pip/u1000.ca.pem', userSite: true });
    assert.match(text, /^cert = \/run\/bulwark\/pip\/u1000\.ca\.pem$/m);
    assert.match(text, /^\[install\]\nuser = true\nbreak-system-packages = true$/m);
    const env = pipEnvironment({ indexUrl: index, certPath: '/ca.pem', userSite: true }, '/run/bulwark/pip/u1000.pip.conf');
    assert.equal(env.PIP_USER, '1');
    assert.equal(env.PIP_BREAK_SYSTEM_PACKAGES, '1');
    assert.equal(env.PIP_CERT, '/ca.pem');
  });

  it('the variables point pip at the generated file and blank the list options with whitespace, not emptiness', () => {
    const env = pipEnvironment({ indexUrl: index, certPath: null, userSite: false }, '/run/bulwark/pip/u1000.pip.conf');
    assert.equal(env.PIP_CONFIG_FILE, '/run/bulwark/pip/u1000.pip.conf');
    assert.equal(env.PIP_INDEX_URL, index);
    assert.equal(env.PIP_ONLY_BINARY, ':all:');
    // pip 23.0.1 ignores PIP_EXTRA_INDEX_URL='' but splits ' ' into an empty list.
    assert.equal(env.PIP_EXTRA_INDEX_URL, ' ');
    assert.equal(env.PIP_FIND_LINKS, ' ');
    assert.equal('PIP_USER' in env || 'PIP_CERT' in env, false);
  });

  it('the request environment comes after PATH and before spawner.environment', () => {
    const env = buildServerEnvironment({
      account: { name: 'alice', home: '/home/alice', shell: '/bin/bash' },
      hubProcessEnv: {},
      hubEnvironment: {},
      serviceUrl: 'http://127.0.0.1:1/user/alice/',
      rootDir: null,
      defaultUrl: null,
      memLimitBytes: null,
      requestEnvironment: { PATH: '/home/alice/.bulwark/venvs/r1/bin:/usr/bin', PIP_INDEX_URL: index },
      configEnvironment: { PIP_INDEX_URL: 'http://admin-override/simple/' },
    });
    assert.equal(env.PATH, '/home/alice/.bulwark/venvs/r1/bin:/usr/bin');
    assert.equal(env.PIP_INDEX_URL, 'http://admin-override/simple/');
  });

  it('a published requirements file loses its source options and keeps pins and hashes', () => {
    const published = [
      '--index-url https://public.example/channel/releases/r1/simple/',
      '--extra-index-url https://elsewhere.example/simple/',
      '--require-hashes',
      '--only-binary :all:',
      'rel_lib==1.1 \\',
      '    --hash=sha256:abc',
    ].join('\n');
    const kept = requirementsWithoutSources(published);
    assert.doesNotMatch(kept, /index-url/);
    assert.match(kept, /^--require-hashes$/m);
    assert.match(kept, /^rel_lib==1\.1 \\\n {4}--hash=sha256:abc$/m);
  });
});
