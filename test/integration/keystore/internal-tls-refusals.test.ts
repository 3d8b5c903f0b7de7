// hub.internal_tls refuses to start, with a clear message and before it stores a CA, when servers
// could not use it: an external proxy (it would not present the hub's client certificate), or a
// credentials directory whose parents other accounts cannot pass.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../../../src/config/index.js';
import { createLogger } from '../../../src/log/index.js';
import { startHub } from '../../../src/server/hub-server.js';
import { findFreePort } from '../../helpers/ports.js';
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

describe('hub.internal_tls: an API port in use', () => {
  const description = `bulwark-test-itls-port-${randomBytes(6).toString('hex')}`;
  const runDir = mkdtempSync('/run/bulwark-itls-port-');
  // Accounts pass through (not list) the parent, as they do /run.
  chmodSync(runDir, 0o711);
  after(() => {
    rmSync(runDir, { recursive: true, force: true });
    if (keyringHas(description)) {
      const id = execFileSync('keyctl', ['search', '@u', 'user', description], { stdio: 'pipe' }).toString().trim();
      execFileSync('keyctl', ['unlink', id, '@u'], { stdio: 'pipe' });
    }
  });

  test('start-up fails and leaves no listener open: the public port refuses connections', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const busyPort = (squatter.address() as net.AddressInfo).port;
    const publicPort = await findFreePort();
    try {
      const { config } = loadConfig({
        env: {},
        flags: {
          'hub.bind_url': `http://127.0.0.1:${publicPort}`,
          'hub.data_dir': join(runDir, 'data'),
          'hub.internal_tls.enabled': true,
          'hub.internal_tls.ca_keystore': `keyctl:user:${description}`,
          'hub.internal_tls.credentials_dir': join(runDir, 'credentials'),
          'hub.internal_tls.api_port': busyPort,
        },
      });
      await assert.rejects(startHub(config, { logger: createLogger({ level: 'silent', pretty: false }) }), /EADDRINUSE/);
      const refused = await new Promise<string>((resolve) => {
        const socket = net.connect(publicPort, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      assert.equal(refused, 'ECONNREFUSED', 'the public listener of the failed hub was closed');
    } finally {
      squatter.close();
    }
  });
});
