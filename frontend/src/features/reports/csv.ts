/** A CSV field value; numbers are written as they are. */
export type CsvValue = string | number;

/** One field, quoted (with doubled quotes) when it holds a comma, quote, CR or LF. */
export function csvField(value: CsvValue): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** An RFC 4180 document: a header row, then the rows; CRLF after every line. */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
