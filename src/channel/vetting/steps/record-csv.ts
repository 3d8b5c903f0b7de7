/** One RECORD row: path, `algorithm=digest` (may be empty), size in bytes as text (may be empty). */
export interface RecordRow {
  path: string;
  hash: string;
  size: string;
  line: number;
}

/**
 * Parses RECORD, the CSV (Python `csv` default dialect) of path, hash and size. Quoted fields
 * may contain commas and doubled quotes. Rows with the wrong number of fields are errors, not
 * exceptions.
 *
 * @example
 * ```ts
 * parseRecordCsv('a.py,sha256=abc,3\n"b,c.py",,\n').rows.map((r) => r.path); // ['a.py', 'b,c.py']
 * ```
 */
export function parseRecordCsv(text: string): { rows: RecordRow[]; errors: { line: number; message: string }[] } {
  const rows: RecordRow[] = [];
  const errors: { line: number; message: string }[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (raw === '') return;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (let at = 0; at < raw.length; at++) {
      const c = raw[at] as string;
      if (quoted) {
        if (c === '"' && raw[at + 1] === '"') {
          field += '"';
          at++;
        } else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"' && field === '') quoted = true;
      else if (c === ',') {
        fields.push(field);
        field = '';
      } else field += c;
    }
    fields.push(field);
    if (quoted) errors.push({ line: i + 1, message: 'unterminated quoted field' });
    else if (fields.length !== 3) errors.push({ line: i + 1, message: `${fields.length} fields, expected path,hash,size` });
    else rows.push({ path: fields[0] as string, hash: fields[1] as string, size: fields[2] as string, line: i + 1 });
  });
  return { rows, errors };
}
