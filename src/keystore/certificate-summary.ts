import type { X509Certificate } from 'node:crypto';

/** What `bulwark keystore check` and the start-up log show about a keystore. Never key material. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  serialNumber: string;
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
  daysLeft: number;
  keyType: string;
  /** Key size in bits (RSA modulus, EC curve order), null when unknown. */
  keyBits: number | null;
  /** Certificates the server sends, leaf included. */
  chainLength: number;
  /** Every certificate is signed by the next one and the last is self-signed (a root). */
  chainToRoot: boolean;
}

const dayMs = 24 * 60 * 60 * 1000;

export function distinguishedName(value: string): string {
  return value.split('\n').filter(Boolean).join(', ');
}

export function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  return child.checkIssued(parent) && child.verify(parent.publicKey);
}

/** Signed by its own key: a root, or a self-signed leaf (which X509 checkIssued rejects without keyCertSign). */
export function selfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && cert.verify(cert.publicKey);
}

function keyType(leaf: X509Certificate): string {
  const key = leaf.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  if (details.namedCurve) return `${key.asymmetricKeyType ?? 'unknown'} ${details.namedCurve}`;
  if (details.modulusLength) return `${key.asymmetricKeyType ?? 'unknown'} ${details.modulusLength}`;
  return key.asymmetricKeyType ?? 'unknown';
}

const curveBits: Readonly<Record<string, number>> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256 };

function keyBits(leaf: X509Certificate): number | null {
  const key = leaf.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  if (details.modulusLength) return details.modulusLength;
  if (details.namedCurve) return curveBits[details.namedCurve] ?? null;
  if (key.asymmetricKeyType === 'ed25519') return 256;
  if (key.asymmetricKeyType === 'ed448') return 456;
  return null;
}

export function summarizeCertificates(chain: readonly X509Certificate[], now: Date): CertificateSummary {
  const leaf = chain[0];
  if (!leaf) throw new Error('summarizeCertificates needs at least one certificate');
  const last = chain[chain.length - 1] ?? leaf;
  const linked = chain.every((cert, i) => i === chain.length - 1 || issuedBy(cert, chain[i + 1] as X509Certificate));
  return {
    subject: distinguishedName(leaf.subject),
    issuer: distinguishedName(leaf.issuer),
    subjectAltNames: (leaf.subjectAltName ?? '').split(', ').filter(Boolean),
    serialNumber: leaf.serialNumber,
    fingerprint256: leaf.fingerprint256,
    notBefore: new Date(leaf.validFrom).toISOString(),
    notAfter: new Date(leaf.validTo).toISOString(),
    daysLeft: Math.floor((new Date(leaf.validTo).getTime() - now.getTime()) / dayMs),
    keyType: keyType(leaf),
    keyBits: keyBits(leaf),
    chainLength: chain.length,
    chainToRoot: linked && selfSigned(last),
  };
}
