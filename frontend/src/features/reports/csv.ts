/** A CSV field value; numbers are written as they are. */
export type CsvValue = string | number;

/**
 * Text starting with one of these is run as a formula by spreadsheets
 * (CSV injection): an API user's Full Name "=HYPERLINK(…)" would become a
 * live link. The audit export on the Go side (backend/audit cell) defuses
 * the same characters.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field. Text that a spreadsheet would take for a formula gets a
 * leading apostrophe (OWASP's advice); numbers, negative ones too, stay
 * numbers. Then the field is quoted as RFC 4180 (doubled quotes) when it
 * holds a comma, quote, CR or LF.
 */
export function csvField(value: CsvValue): string {
  const text = typeof value === 'number' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** An RFC 4180 document: a header row, then the rows; CRLF after every line. */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
