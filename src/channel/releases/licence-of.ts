import { parseCoreMetadata } from '../../pypkg/index.js';

/** A CycloneDX `licenses` entry: an SPDX expression, or a named licence. */
export type CycloneLicence = { expression: string } | { license: { name: string } };

const CLASSIFIER = 'License :: ';

/**
 * What a wheel's METADATA says about its licence, in CycloneDX terms: `License-Expression`
 * (PEP 639) when present, else the first line of `License`, else the licence classifiers.
 *
 * @example
 * ```ts
 * licencesOf('Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-Expression: MIT\n'); // [{ expression: 'MIT' }]
 * ```
 */
export function licencesOf(metadata: string): CycloneLicence[] {
  let parsed;
  try {
    parsed = parseCoreMetadata(metadata);
  } catch {
    return [];
  }
  if (parsed.licenseExpression) return [{ expression: parsed.licenseExpression.trim() }];
  // The License field often holds the whole licence text; its first line names it.
  const first = parsed.license?.split('\n')[0]?.trim();
  if (first) return [{ license: { name: first.slice(0, 200) } }];
  const fromClassifiers = (parsed.classifiers ?? [])
    .filter((c) => c.startsWith(CLASSIFIER))
    .map((c) => c.split(' :: ').at(-1) ?? c)
    .filter((name) => name !== 'OSI Approved');
  return [...new Set(fromClassifiers)].map((name) => ({ license: { name } }));
}
