import { finding, severityAtLeast, type Finding } from '../finding.js';
import type { VettingStep } from '../vetting-step.js';
import { redactSecret, SECRET_PATTERNS } from './secret-patterns.js';

// Larger members are data (models, shared libraries); secrets sit in small text files.
const MAX_SCAN_BYTES = 8 * 1024 * 1024;
const HTTP_URL = /\bhttp:\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])[^\s'"<>)]*/g;
// Loopback, documentation domains and XML namespace names are identifiers, not fetched over the network.
const HARMLESS_HOST = /^(?:localhost|127\.[0-9.]+|0\.0\.0\.0|\[::1\]|(?:[a-z0-9-]+\.)*example\.(?:com|org|net)|www\.w3\.org|schemas\.[a-z0-9.-]+|purl\.org|ns\.adobe\.com|xml\.org|relaxng\.org|docbook\.org)$/i;

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

function secretFindings(name: string, text: string): Finding[] {
  const out: Finding[] = [];
  for (const secret of SECRET_PATTERNS) {
    for (const match of text.matchAll(secret.pattern)) {
      if (secret.ignore?.test(match[0]) === true) continue;
      out.push(finding(secret.code, `${secret.label} in "${name}"`, { entry: name, line: lineOf(text, match.index), match: redactSecret(match[0]) }));
    }
  }
  return out;
}

function httpFinding(name: string, text: string, severity: Finding['severity']): Finding | null {
  const urls = [...text.matchAll(HTTP_URL)].filter((m) => !HARMLESS_HOST.test(m[1] ?? '')).map((m) => m[0]);
  if (urls.length === 0) return null;
  const unique = [...new Set(urls)];
  return finding('WEAKNESS_PLAIN_HTTP', `${unique.length} plain http:// URL(s) in "${name}"`, { entry: name, urls: unique.slice(0, 5), count: unique.length }, {
    severity,
    blocking: severityAtLeast(severity, 'high'),
    policy: true,
  });
}

/**
 * Secrets and weaknesses: private keys, cloud credentials and API tokens anywhere in the wheel
 * (always blocking; evidence is redacted), and plain http:// URLs in Python code, whose severity
 * comes from `channel.policy.http_url_severity` (blocking at high or above).
 */
export const secretsStep: VettingStep = {
  name: 'secrets',
  async run(wheel, context) {
    const findings: Finding[] = [];
    for (const entry of wheel.requireArchive().entries) {
      if (entry.isDirectory || entry.uncompressedSize > MAX_SCAN_BYTES) continue;
      // latin1 maps every byte to one character, so binary files scan without decoding errors.
      const text = wheel.read(entry).toString('latin1');
      findings.push(...secretFindings(entry.name, text));
      if (/\.pyw?$/.test(entry.name)) {
        const http = httpFinding(entry.name, text, context.policy.httpUrlSeverity);
        if (http !== null) findings.push(http);
      }
    }
    return { findings };
  },
};
