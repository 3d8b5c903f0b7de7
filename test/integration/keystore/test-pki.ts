import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipedExec } from '../../helpers/piped-exec.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

export interface IssueOptions {
  cn?: string;
  /** Validity window; defaults to yesterday .. +30 days. */
  notBefore?: Date;
  notAfter?: Date;
}

export interface Issued {
  certPem: string;
  /** PKCS#8 PEM, generated in memory; tests decide where (if anywhere) it goes. */
  keyPem: string;
}

export interface TestPki {
  dir: string;
  caPem: string;
  caPath: string;
  /** A fresh P-256 key (in memory) and a certificate for 127.0.0.1/localhost signed by the CA. */
  issue(options?: IssueOptions): Issued;
  /** Signs a CSR (e.g. one made by a PKCS#11 token). */
  sign(csrPem: string, options?: IssueOptions): string;
  /** A PKCS#12 bundle (leaf + CA) built with the key piped in, never written. */
  pkcs12(issued: Issued, passphrase: string, legacy?: boolean): Buffer;
  remove(): void;
}

const day = 24 * 60 * 60 * 1000;
const asn1Time = (date: Date) => `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

/** A throwaway CA under a temp dir (its own key is a test fixture, made before any hub starts). */
export function createTestPki(): TestPki {
  const temp = makeTempDir('bulwark-pki-');
  const at = (name: string) => join(temp.path, name);
  const caPath = at('ca.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', at('ca.key'), '-out', caPath,
    '-days', '3', '-subj', '/CN=Bulwark Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ], { stdio: 'pipe' });
  writeFileSync(at('index.txt'), '');
  writeFileSync(at('serial'), '1000\n');
  writeFileSync(at('ca.cnf'), [
    '[ca]', 'default_ca = test', '[test]', `database = ${at('index.txt')}`, `new_certs_dir = ${temp.path}`, `serial = ${at('serial')}`,
    'default_md = sha256', 'policy = any', 'unique_subject = no', '[any]', 'commonName = supplied',
    '[leaf]', 'subjectAltName = IP:127.0.0.1,DNS:localhost', 'basicConstraints = CA:FALSE',
    'keyUsage = critical,digitalSignature,keyEncipherment', 'extendedKeyUsage = serverAuth', '',
  ].join('\n'));
  const sign = (csrPem: string, options: IssueOptions = {}) => {
    const notBefore = options.notBefore ?? new Date(Date.now() - day);
    const notAfter = options.notAfter ?? new Date(Date.now() + 30 * day);
    return pipedExec('openssl', [
      'ca', '-batch', '-config', at('ca.cnf'), '-cert', caPath, '-keyfile', at('ca.key'), '-in', '/dev/stdin', '-notext',
      '-startdate', asn1Time(notBefore), '-enddate', asn1Time(notAfter), '-extfile', at('ca.cnf'), '-extensions', 'leaf',
    ], csrPem).toString('utf8');
  };
  return {
    dir: temp.path,
    caPath,
    caPem: execFileSync('cat', [caPath]).toString('utf8'),
    sign,
    issue(options = {}) {
      const keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const csr = pipedExec('openssl', ['req', '-new', '-key', '/dev/stdin', '-subj', `/CN=${options.cn ?? '127.0.0.1'}`], keyPem);
      return { keyPem, certPem: sign(csr.toString('utf8'), options) };
    },
    pkcs12(issued, passphrase, legacy = false) {
      const certPath = at(`p12-cert-${Date.now()}-${Math.random().toString(36).slice(2)}.pem`);
      writeFileSync(certPath, issued.certPem);
      return pipedExec('openssl', [
        'pkcs12', '-export', ...(legacy ? ['-legacy'] : []), '-inkey', '/dev/stdin', '-in', certPath, '-certfile', caPath, '-passout', 'env:TEST_P12_PASS',
      ], issued.keyPem, { ...process.env, TEST_P12_PASS: passphrase });
    },
    remove() {
      temp.remove();
    },
  };
}
