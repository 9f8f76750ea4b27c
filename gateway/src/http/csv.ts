/**
 * The first characters that make a spreadsheet read a cell as a formula (`=`, `+`, `-`, `@`, and tab or carriage
 * return, which some programs strip before looking): OWASP's "CSV injection".
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field per RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled. A text cell
 * that a spreadsheet would run as a formula is neutralized with a leading `'` (numbers are written as numbers: a
 * negative number is not a formula).
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    text = String(value);
  } else {
    text = typeof value === 'string' ? value : JSON.stringify(value);
    if (FORMULA_START.test(text)) text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document: header row then one row per record, CRLF line ends. */
export function toCsv(columns: readonly string[], rows: readonly Readonly<Record<string, unknown>>[]): string {
  const lines = [columns.map(csvField).join(','), ...rows.map((row) => columns.map((c) => csvField(row[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** A person who wrote a record as one report field: `enrollmentId@MSP`, empty when the record names none. */
export function actorField(actor: Readonly<{ mspId: string; enrollmentId: string }> | null | undefined): string {
  return actor == null ? '' : `${actor.enrollmentId}@${actor.mspId}`;
}
