/** One row of a user import file: `name,admin,password` (password may be empty). */
export interface CsvUserRow {
  line: number;
  name: string;
  admin: boolean;
  password: string | undefined;
}

/** Splits one CSV line (RFC 4180 quoting: "a,b" and "" for a quote inside quotes). */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    }
    else field += char;
  }
  fields.push(field);
  return fields;
}

const TRUE = ['1', 'true', 'yes', 'y', 'admin'];
const FALSE = ['', '0', 'false', 'no', 'n'];

/**
 * Parses a user import file. A first line `name,admin,password` is a header; blank lines and
 * lines starting with `#` are skipped. Bad rows come back as errors, never as an exception.
 */
export function parseUserCsv(text: string): { rows: CsvUserRow[]; errors: Array<{ line: number; reason: string }> } {
  const rows: CsvUserRow[] = [];
  const errors: Array<{ line: number; reason: string }> = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const fields = splitCsvLine(raw);
    if (index === 0 && fields[0]?.trim().toLowerCase() === 'name') return;
    if (fields.length < 1 || fields.length > 3) return void errors.push({ line, reason: 'expected name,admin,password' });
    const [name = '', adminText = '', password = ''] = fields;
    const admin = adminText.trim().toLowerCase();
    if (!TRUE.includes(admin) && !FALSE.includes(admin)) return void errors.push({ line, reason: `admin must be true or false, not ${JSON.stringify(adminText)}` });
    rows.push({ line, name: name.trim(), admin: TRUE.includes(admin), password: password === '' ? undefined : password });
  });
  return { rows, errors };
}
