import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipedExec } from './piped-exec.js';
import { makeTempDir } from './temp-dir.js';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
export const PKCS11_ENGINE = '/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so';

/** Fails (never skips) when a system package the PKCS#11 tests need is missing. */
export function requireSoftHsmTools(): void {
  const needs: Array<[string, string]> = [
    [SOFTHSM_MODULE, 'softhsm2'],
    ['/usr/bin/softhsm2-util', 'softhsm2'],
    ['/usr/bin/pkcs11-tool', 'opensc'],
    [PKCS11_ENGINE, 'libengine-pkcs11-openssl'],
  ];
  const missing = needs.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg);
  if (missing.length > 0) throw new Error(`install ${[...new Set(missing)].join(' ')} (scripts/setup.sh --test)`);
}

export interface SoftHsm {
  dir: string;
  /** Environment for tools run against this SoftHSM (SOFTHSM2_CONF). */
  env: NodeJS.ProcessEnv;
  createToken(label: string, pin: string): void;
  /** Generates a key pair inside the token: sensitive, never extractable. */
  generateKey(token: string, pin: string, label: string, id: string, keyType?: string): void;
  /** A CSR signed by the token's key, through the system openssl and its pkcs11 engine. */
  csr(token: string, pin: string, label: string, subject: string): string;
  storeCertificate(token: string, pin: string, certPem: string, label: string, id: string): void;
  /** `pkcs11-tool --list-objects` output after login (to check key attributes). */
  listObjects(token: string, pin: string): string;
  remove(): void;
}

/**
 * A SoftHSM2 instance with its own config and token directory under a temp dir. Sets
 * SOFTHSM2_CONF in this process too, because the engine loads SoftHSM in-process.
 */
export function createSoftHsm(): SoftHsm {
  requireSoftHsmTools();
  const temp = makeTempDir('bulwark-softhsm-');
  const conf = join(temp.path, 'softhsm2.conf');
  execFileSync('mkdir', ['-p', join(temp.path, 'tokens')]);
  writeFileSync(conf, `directories.tokendir = ${join(temp.path, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env['SOFTHSM2_CONF'] = conf;
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const tool = (args: string[], input: Buffer | string = '') => pipedExec('pkcs11-tool', ['--module', SOFTHSM_MODULE, ...args], input, env).toString('utf8');
  return {
    dir: temp.path,
    env,
    createToken(label, pin) {
      execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--so-pin', '87654321', '--pin', pin], { env, stdio: 'pipe' });
    },
    generateKey(token, pin, label, id, keyType = 'EC:prime256v1') {
      tool(['--token-label', token, '--login', '--pin', pin, '--keypairgen', '--key-type', keyType, '--label', label, '--id', id]);
    },
    csr(token, pin, label, subject) {
      return execFileSync(
        'openssl',
        ['req', '-new', '-engine', 'pkcs11', '-keyform', 'engine', '-key', `pkcs11:token=${token};object=${label};type=private;pin-value=${pin}`, '-subj', subject],
        { env: { ...env, OPENSSL_CONF: '/dev/null', PKCS11_MODULE_PATH: SOFTHSM_MODULE }, stdio: ['pipe', 'pipe', 'pipe'] },
      ).toString('utf8');
    },
    storeCertificate(token, pin, certPem, label, id) {
      const der = execFileSync('openssl', ['x509', '-outform', 'DER'], { input: certPem });
      tool(['--token-label', token, '--login', '--pin', pin, '--write-object', '/dev/stdin', '--type', 'cert', '--label', label, '--id', id], der);
    },
    listObjects(token, pin) {
      return tool(['--token-label', token, '--login', '--pin', pin, '--list-objects']);
    },
    remove() {
      temp.remove();
    },
  };
}
