import type { X509Certificate } from 'node:crypto';

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Prometheus gauges for the certificate a listener serves: whole days left (negative once
 * expired) and the expiry as a Unix timestamp, so alerts can use either. Computed at scrape time,
 * so a long-running process reports the current value, and after a SIGHUP reload the new one.
 */
export function certificateMetricLines(listener: string, certificate: X509Certificate | null, now: Date): string[] {
  if (certificate === null) return [];
  const notAfter = new Date(certificate.validTo).getTime();
  const label = `{listener="${listener}"}`;
  return [
    '# HELP bulwark_tls_certificate_days_left whole days until the served TLS certificate expires (negative once expired)',
    '# TYPE bulwark_tls_certificate_days_left gauge',
    `bulwark_tls_certificate_days_left${label} ${Math.floor((notAfter - now.getTime()) / dayMs)}`,
    '# HELP bulwark_tls_certificate_expiry_timestamp_seconds notAfter of the served TLS certificate (Unix time)',
    '# TYPE bulwark_tls_certificate_expiry_timestamp_seconds gauge',
    `bulwark_tls_certificate_expiry_timestamp_seconds${label} ${Math.floor(notAfter / 1000)}`,
  ];
}
