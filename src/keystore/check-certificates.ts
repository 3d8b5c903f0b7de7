import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { BulwarkError } from '../errors/index.js';
import { distinguishedName, issuedBy, selfSigned } from './certificate-summary.js';

/**
 * Refuses a leaf certificate outside its validity period; reports chain problems (wrong order,
 * missing intermediate, expired intermediate) as warnings, since clients may still cope.
 */
export function checkCertificates(uri: string, chain: readonly X509Certificate[], now: Date): string[] {
  const leaf = chain[0];
  if (!leaf) throw new BulwarkError('KEYSTORE_UNUSABLE', { uri, reason: 'no certificate was served in the test handshake' });
  const subject = distinguishedName(leaf.subject);
  if (new Date(leaf.validTo) < now) throw new BulwarkError('KEYSTORE_CERT_EXPIRED', { uri, subject, notAfter: new Date(leaf.validTo).toISOString() });
  if (new Date(leaf.validFrom) > now) throw new BulwarkError('KEYSTORE_CERT_NOT_YET_VALID', { uri, subject, notBefore: new Date(leaf.validFrom).toISOString() });
  const warnings: string[] = [];
  chain.forEach((cert, i) => {
    const next = chain[i + 1];
    const name = distinguishedName(cert.subject);
    if (i > 0 && new Date(cert.validTo) < now) warnings.push(`${uri}: chain certificate ${name} has expired`);
    if (next && !issuedBy(cert, next)) warnings.push(`${uri}: chain certificate ${i + 1} (${distinguishedName(next.subject)}) did not issue ${name}; put the chain in order, leaf first`);
  });
  const last = chain[chain.length - 1] ?? leaf;
  if (last === leaf && selfSigned(leaf)) {
    warnings.push(`${uri}: the certificate is self-signed; clients must trust it explicitly (development only)`);
  } else if (!selfSigned(last) && !rootCertificates.some((root) => issuedBy(last, new X509Certificate(root)))) {
    warnings.push(`${uri}: ${distinguishedName(last.issuer)} issued the chain but is neither sent nor a public root; clients must trust it explicitly`);
  }
  return warnings;
}
