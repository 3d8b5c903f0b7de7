import { z } from 'zod';
import { describe } from './fields.js';

const severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);

// Permissive and weak-copyleft licences that allow redistribution inside a closed channel
// (SPDX ids, case-insensitive; a trailing * matches a family: MIT-0, BSD-3-Clause, LGPL-2.1-only...).
// Kept short so the generated example config shows it on one line; administrators add more.
const DEFAULT_LICENSES = ['MIT*', 'BSD-*', 'Apache-2.0', 'ISC', 'PSF-2.0', 'MPL-2.0', 'LGPL-*', 'Zlib', 'HPND'];

/** `channel.policy.*`: what the channel accepts and serves. */
export const channelPolicySection = z
  .strictObject({
    require_vetting: describe(z.boolean().default(true), {
      description: 'Every file is quarantined and vetted; true: an approver (channel:approve) must then approve a vetted file; false: a vetted file is approved automatically (a rejected one never is).',
    }),
    allow_sdist: describe(z.boolean().default(false), {
      description: 'Accept source distributions (.tar.gz) as well as wheels. Off by default: sdists run code at install time.',
    }),
    block_at_cvss: describe(z.number().min(0).max(10).default(7.0), {
      description: 'Advisories whose CVSS base score is at or above this block a file (the toolkit vendor blocks at 7.0). Malicious-release (MAL-) records always block.',
    }),
    unknown_severity: describe(z.enum(['block', 'warn']).default('block'), {
      description: 'What an advisory without any CVSS vector or severity label does: block (fail closed) or only warn.',
    }),
    license_allowlist: describe(z.array(z.string().min(1)).default(DEFAULT_LICENSES), {
      description: 'SPDX licence identifiers a file may carry (License-Expression, classifiers or License); a trailing * matches a family (BSD-*). An empty list accepts any licence.',
    }),
    minimum_age_hours: describe(z.number().nonnegative().default(0), {
      description: 'Hold files published upstream less than this many hours ago (fresh malicious releases are usually caught within a day). 0 turns the check off.',
    }),
    dry_run: describe(z.boolean().default(false), {
      description: 'Report what the policy checks (licence, age, CVSS, wheels only) would block without blocking. Integrity, malware and secret findings still block.',
    }),
    startup_hook_allowlist: describe(z.array(z.string().min(1)).default(['setuptools:distutils-precedence.pth']), {
      description: 'Start-up hooks accepted anyway, as "project:path" (path inside site-packages), e.g. setuptools:distutils-precedence.pth.',
    }),
    typosquat_distance: describe(z.number().int().min(0).max(3).default(1), {
      description: 'A new project name within this many edits (transpositions count as one) of a popular or existing name is held for a person. 0 turns the check off.',
    }),
    http_url_severity: describe(severity.default('low'), {
      description: 'Severity of plain http:// URLs found in code; "high" or "critical" makes them block.',
    }),
    max_uncompressed_size: describe(z.number().int().positive().default(4 * 1024 ** 3), {
      description: 'Largest total uncompressed size of a wheel (bytes); a larger one is treated as a zip bomb.',
    }),
    max_compression_ratio: describe(z.number().positive().default(50), {
      description: 'Largest uncompressed/compressed ratio of an entry bigger than compression_ratio_floor (PyPI uses 50).',
    }),
    compression_ratio_floor: describe(z.number().int().nonnegative().default(64 * 1024 ** 2), {
      description: 'Entries smaller than this (bytes, uncompressed) are exempt from the ratio limit.',
    }),
    max_entries: describe(z.number().int().positive().default(100_000), {
      description: 'Largest number of entries in a wheel.',
    }),
  })
  .prefault({});
