import { X509Certificate } from 'node:crypto';
import { BulwarkError } from '../errors/index.js';
import type { Pkcs11Spec } from './keystore-spec.js';
import { runTool } from './run-tool.js';

/**
 * Reads the certificate stored on the token beside the key (same CKA_LABEL or CKA_ID) with
 * OpenSC's pkcs11-tool. Certificates are public objects, so no login (and no PIN) is needed.
 */
export async function readTokenCertificate(uri: string, spec: Pkcs11Spec, modulePath: string): Promise<string> {
  const args = ['--module', modulePath, '--read-object', '--type', 'cert'];
  if (spec.token !== null) args.push('--token-label', spec.token);
  if (spec.idHex !== null) args.push('--id', spec.idHex);
  else if (spec.object !== null) args.push('--label', spec.object);
  const result = await runTool(uri, 'pkcs11-tool', args, 'opensc');
  const name = spec.idHex !== null ? `id ${spec.idHex}` : `label "${spec.object ?? ''}"`;
  if (!result.ok || result.stdout.length === 0) {
    throw new BulwarkError('KEYSTORE_KEY_NOT_FOUND', {
      uri,
      detail: `no certificate with ${name} on token "${spec.token ?? '(first)'}" (${result.stderr.split('\n').pop() || 'not found'}); store it with pkcs11-tool --write-object CERT.der --type cert, or give cert-file=/path/chain.pem`,
    });
  }
  try {
    return new X509Certificate(result.stdout).toString();
  } catch (error) {
    throw new BulwarkError('KEYSTORE_BUNDLE_INVALID', { uri, reason: `the certificate with ${name} on the token is not valid X.509: ${String(error)}` });
  }
}
