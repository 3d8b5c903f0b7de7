import { stringify } from 'yaml';
import { configFields, type ConfigField } from './schema-fields.js';

function sectionOf(path: string): string {
  return path.split(/[.[]/)[0] ?? path;
}

function envName(path: string): string | undefined {
  if (path.includes('[]')) return undefined;
  return `BULWARK_${path.split('.').join('__').toUpperCase()}`;
}

function yamlValue(value: unknown): string {
  // One line whatever the length: the example config puts each value after its key.
  return stringify(value ?? null, { flow: true, lineWidth: 0 }).trim();
}

/** docs/configuration.md: every key with its type, default, environment name and meaning. */
export function renderConfigReference(): string {
  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run docs:generate`; a test fails when it is out of date. -->',
    '',
    'Bulwark reads, from lowest to highest precedence: built-in defaults, the YAML file given with',
    '`--config FILE` (or `./bulwark.yaml`, or `$BULWARK_CONFIG`), environment variables',
    '`BULWARK_<SECTION>__<KEY>` (nested keys join with `__`; values are read as YAML, so `true`, `8` and',
    '`[a, b]` work), and finally command-line flags (`--set section.key=value` and the named flags of',
    'each command). Unknown keys and bad values stop start-up with exit code 2 and the key path.',
    'Secret values are never logged. `bulwark config generate` prints a commented default file and',
    '`bulwark config check` validates one.',
    '',
  ];
  let section = '';
  for (const field of configFields()) {
    const current = sectionOf(field.path);
    if (current !== section) {
      section = current;
      if (lines.at(-1) !== '') lines.push('');
      lines.push(`## \`${section}\``, '', '| key | type | default | environment | meaning |', '|---|---|---|---|---|');
    }
    const env = envName(field.path);
    const meaning = `${field.description}${field.secret ? ' **Secret**: redacted in logs.' : ''}`;
    lines.push(
      `| \`${field.path}\` | ${field.type.replace(/\|/g, '\\|')} | \`${yamlValue(field.defaultValue)}\` | ${env ? `\`${env}\`` : '\u2014'} | ${meaning.replace(/\|/g, '\\|')} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

function commentBlock(field: ConfigField, indent: string): string[] {
  const words = field.description.split(' ');
  const out: string[] = [];
  let line = '';
  for (const word of words) {
    if ((line + ' ' + word).length > 96) {
      out.push(`${indent}# ${line.trim()}`);
      line = '';
    }
    line += ` ${word}`;
  }
  if (line.trim() !== '') out.push(`${indent}# ${line.trim()}`);
  if (field.choices) out.push(`${indent}# One of: ${field.choices.map((c) => yamlValue(c)).join(', ')}.`);
  return out;
}

/**
 * A complete bulwark.yaml with every key at its default and a comment above each, so an
 * administrator can start from it and change only what they need.
 */
export function renderExampleConfig(): string {
  const out = [
    '# Bulwark configuration. Every key is shown at its default; delete what you do not change.',
    '# Reference: docs/configuration.md. Environment variables BULWARK_<SECTION>__<KEY> override this file.',
  ];
  const openSections = new Set<string>();
  for (const field of configFields()) {
    if (field.path.includes('[]')) continue;
    const segments = field.path.split('.');
    for (let depth = 0; depth < segments.length - 1; depth++) {
      const sectionPath = segments.slice(0, depth + 1).join('.');
      if (!openSections.has(sectionPath)) {
        openSections.add(sectionPath);
        out.push('', `${'  '.repeat(depth)}${segments[depth]}:`);
      }
    }
    const indent = '  '.repeat(segments.length - 1);
    if (segments.length === 1) out.push('');
    out.push(...commentBlock(field, indent));
    out.push(`${indent}${segments[segments.length - 1]}: ${yamlValue(field.defaultValue)}`);
  }
  out.push('');
  return out.join('\n');
}
