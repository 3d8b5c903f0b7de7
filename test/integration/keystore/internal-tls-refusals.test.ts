// hub.internal_tls refuses to start, with a clear message and before it stores a CA, when servers
// could not use it: an external proxy (it would not present the hub's client certificate), or a
// credentials directory whose parents other accounts cannot pass.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../../../src/config/index.js';
import { createLogger } from '../../../src/log/index.js';
import { startHub } from '../../../src/server/hub-server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

function keyringHas(description: string): boolean {
  try {
    execFileSync('keyctl', ['search', '@u', 'user', description], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('hub.internal_tls start-up refusals', () => {
  const temp = makeTempDir('bulwark-itls-refusal-');
  const description = `bulwark-test-itls-refusal-${randomBytes(6).toString('hex')}`;
  after(() => temp.remove());

  function start(settings: Record<string, unknown>) {
    const { config } = loadConfig({
      env: {},
      flags: {
        'hub.bind_url': 'http://127.0.0.1:0',
        'hub.data_dir': join(temp.path, 'data'),
        'hub.internal_tls.enabled': true,
        'hub.internal_tls.ca_keystore': `keyctl:user:${description}`,
        'hub.internal_tls.api_port': 0,
        ...settings,
      },
    });
    return startHub(config, { logger: createLogger({ level: 'silent', pretty: false }) });
  }

  test('proxy.mode external is refused', async () => {
    await assert.rejects(
      start({ 'proxy.mode': 'external', 'proxy.auth_token': 'x'.repeat(32), 'hub.internal_tls.credentials_dir': join(temp.path, 'ok') }),
      /Internal CA: cannot start with proxy\.mode external: hub\.internal_tls needs the embedded proxy/,
    );
    assert.equal(keyringHas(description), false, 'no CA was stored');
  });

  test('a credentials directory other accounts cannot reach is refused', async () => {
    // temp.path is 0700 (mkdtemp): a server's account could not open its files below it.
    await assert.rejects(start({ 'hub.internal_tls.credentials_dir': join(temp.path, 'credentials') }), new RegExp(`${temp.path} does not let other accounts pass \\(chmod o\\+x\\)`));
    assert.equal(keyringHas(description), false, 'no CA was stored');
  });
});
