/** What a requirements file in the toolkit's format says. */
export interface RequirementsDocumentInput {
  /** The product line of the header, e.g. "Python AI Toolkit for IBM z/OS". */
  title: string;
  /** Lines of the header's description paragraph. */
  description: readonly string[];
  /** The release's own index (`.../releases/<name>/simple/`). */
  indexUrl: string;
  /** What the "generated for a ... environment" comment names (cp312, or a full target name). */
  environment: string;
  /** `name` as the line spells it: see {@link toolkitName}. */
  pins: readonly { name: string; version: string; sha256: string }[];
}

/**
 * The toolkit's spelling of a name: the wheel file name's own (escaped, lower-cased) name part,
 * so `argon2_cffi` and, for wheels built before the dots were escaped, `ruamel.yaml`.
 *
 * @example
 * ```ts
 * toolkitName('Argon2_CFFI-23.1.0-cp37-abi3-manylinux_2_17_x86_64.whl'); // 'argon2_cffi'
 * ```
 */
export function toolkitName(filename: string): string {
  return (filename.split('-')[0] ?? filename).toLowerCase();
}

/**
 * Writes a hash-pinned requirements file in the format of the published toolkit files: the
 * `#####` header, the pip options, the target comment, then one `name==version --hash=sha256:...`
 * per line, sorted. Two of the toolkit's habits are deliberately left out: `--trusted-host`
 * (turns off TLS verification) and the advice to install with `--no-deps` (turns off pip's own
 * check that the set is closed). Without `--no-deps`, pip re-checks the closure on every install.
 *
 * @example
 * ```ts
 * renderRequirementsDocument({ title: 'Bulwark', description: [], indexUrl, environment: 'cp312', pins });
 * ```
 */
export function renderRequirementsDocument(input: RequirementsDocumentInput): string {
  const lines = ['#####', '#', `# ${input.title}`, '#'];
  if (input.description.length > 0) lines.push(...input.description.map((line) => (line === '' ? '#' : `# ${line}`)), '#');
  lines.push(
    '# Example use:  pip install -r <toolkit_requirements.txt>',
    '#',
    '# pip command options:',
    `--index-url ${input.indexUrl}`,
    '--require-hashes',
    '--only-binary :all:',
    '',
    '#',
    `# This requirements file was generated for a ${input.environment} environment.`,
    '#',
    '',
  );
  // Names in code-point order, as the published files are sorted.
  const pins = input.pins
    .map((pin) => ({ name: pin.name.toLowerCase(), pin }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, pin }) => `${name}==${pin.version} --hash=sha256:${pin.sha256}`);
  return `${[...lines, ...pins].join('\n')}\n`;
}
