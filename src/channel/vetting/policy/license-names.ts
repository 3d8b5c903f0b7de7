// Trove licence classifiers (after "License :: " / "License :: OSI Approved :: ") -> SPDX ids.
// "BSD License" names no clause count; the 3-clause form is by far the most common on PyPI.
const CLASSIFIERS: Readonly<Record<string, string>> = {
  'MIT License': 'MIT',
  'MIT No Attribution License (MIT-0)': 'MIT-0',
  'BSD License': 'BSD-3-Clause',
  'Apache Software License': 'Apache-2.0',
  'ISC License (ISCL)': 'ISC',
  'Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
  'Python Software Foundation License': 'PSF-2.0',
  'GNU General Public License (GPL)': 'GPL-2.0-or-later',
  'GNU General Public License v2 (GPLv2)': 'GPL-2.0-only',
  'GNU General Public License v2 or later (GPLv2+)': 'GPL-2.0-or-later',
  'GNU General Public License v3 (GPLv3)': 'GPL-3.0-only',
  'GNU General Public License v3 or later (GPLv3+)': 'GPL-3.0-or-later',
  'GNU Affero General Public License v3': 'AGPL-3.0-only',
  'GNU Affero General Public License v3 or later (AGPLv3+)': 'AGPL-3.0-or-later',
  'GNU Lesser General Public License v2 (LGPLv2)': 'LGPL-2.1-only',
  'GNU Lesser General Public License v2 or later (LGPLv2+)': 'LGPL-2.1-or-later',
  'GNU Lesser General Public License v3 (LGPLv3)': 'LGPL-3.0-only',
  'GNU Lesser General Public License v3 or later (LGPLv3+)': 'LGPL-3.0-or-later',
  'GNU Library or Lesser General Public License (LGPL)': 'LGPL-2.1-or-later',
  'The Unlicense (Unlicense)': 'Unlicense',
  'zlib/libpng License': 'Zlib',
  'Historical Permission Notice and Disclaimer (HPND)': 'HPND',
  'Universal Permissive License (UPL)': 'UPL-1.0',
  'Eclipse Public License 2.0 (EPL-2.0)': 'EPL-2.0',
  'European Union Public Licence 1.2 (EUPL 1.2)': 'EUPL-1.2',
  'Boost Software License 1.0 (BSL-1.0)': 'BSL-1.0',
  'CC0 1.0 Universal (CC0 1.0) Public Domain Dedication': 'CC0-1.0',
  'Public Domain': 'LicenseRef-Public-Domain',
};

// Free-text License: values seen often enough to be worth understanding.
const FREE_TEXT: Readonly<Record<string, string>> = {
  'mit license': 'MIT',
  bsd: 'BSD-3-Clause',
  'bsd license': 'BSD-3-Clause',
  'new bsd license': 'BSD-3-Clause',
  'apache 2.0': 'Apache-2.0',
  'apache 2': 'Apache-2.0',
  'apache license 2.0': 'Apache-2.0',
  'apache license, version 2.0': 'Apache-2.0',
  'apache software license': 'Apache-2.0',
  psf: 'PSF-2.0',
  'psf license': 'PSF-2.0',
};

/**
 * SPDX ids named by trove classifiers; unknown licence classifiers come back as
 * `LicenseRef-<text>` so they are visible (and not allowed unless listed).
 *
 * @example
 * ```ts
 * licensesFromClassifiers(['License :: OSI Approved :: MIT License']); // ['MIT']
 * ```
 */
export function licensesFromClassifiers(classifiers: readonly string[]): string[] {
  const out: string[] = [];
  for (const classifier of classifiers) {
    const m = /^License :: (?:OSI Approved :: )?(.+)$/.exec(classifier.trim());
    if (m === null || m[1] === 'OSI Approved' || m[1] === 'Other/Proprietary License') {
      if (m?.[1] === 'Other/Proprietary License') out.push('LicenseRef-Proprietary');
      continue;
    }
    out.push(CLASSIFIERS[m[1] as string] ?? `LicenseRef-${(m[1] as string).replace(/[^A-Za-z0-9.-]+/g, '-')}`);
  }
  return out;
}

/**
 * An SPDX expression for a free-text License field when it is short and recognisable, else null.
 *
 * @example
 * ```ts
 * licenseFromFreeText('Apache 2.0'); // 'Apache-2.0'
 * ```
 */
export function licenseFromFreeText(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.includes('\n') || trimmed.length > 80) return null;
  const known = FREE_TEXT[trimmed.toLowerCase()];
  if (known !== undefined) return known;
  return /^[A-Za-z0-9.+-]+(?:\s+(?:OR|AND|WITH)\s+[A-Za-z0-9.+-]+)*$/.test(trimmed) ? trimmed : null;
}
