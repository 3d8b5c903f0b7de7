export interface PemBundle {
  certificates: string[];
  privateKeys: string[];
}

const block = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/** Whether a blob is PEM text rather than DER (a PKCS#12 bundle starts with a DER SEQUENCE). */
export function looksLikePem(blob: Buffer): boolean {
  return blob.subarray(0, 64).toString('latin1').trimStart().startsWith('-----BEGIN ');
}

/** Splits PEM text into certificates (in order: leaf first) and private keys (any PKCS#1/#8/SEC1 form). */
export function splitPemBundle(text: string): PemBundle {
  const certificates: string[] = [];
  const privateKeys: string[] = [];
  for (const match of text.matchAll(block)) {
    const label = match[1] ?? '';
    if (label === 'CERTIFICATE') certificates.push(match[0]);
    else if (label.endsWith('PRIVATE KEY')) privateKeys.push(match[0]);
  }
  return { certificates, privateKeys };
}
