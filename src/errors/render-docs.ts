import { errorCatalog } from './catalog.js';

/** docs/errors.md: every code with its HTTP status, message and meaning, grouped by area. */
export function renderErrorReference(): string {
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated from src/errors/codes/*.ts by `npm run docs:generate`; a test fails when it is out of date. -->',
    '',
    'Every error Bulwark reports has a stable code. HTTP APIs answer with a JSON body',
    '`{"status": <http status>, "code": "<CODE>", "message": "<text>"}`; pages show the message; the CLI prints',
    '`<message> [<CODE>]` on stderr. A code is never reused for a different meaning.',
    '',
  ];
  let area = '';
  for (const [code, definition] of Object.entries(errorCatalog)) {
    const current = code.split('_')[0] ?? '';
    if (current !== area) {
      area = current;
      if (lines.at(-1) !== '') lines.push('');
      lines.push(`## ${area}`, '', '| code | HTTP | message | meaning |', '|---|---|---|---|');
    }
    lines.push(`| \`${code}\` | ${definition.status} | ${definition.message.replace(/\|/g, '\\|')} | ${definition.description.replace(/\|/g, '\\|')} |`);
  }
  lines.push('');
  return lines.join('\n');
}
