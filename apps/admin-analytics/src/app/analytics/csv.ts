import { csvField } from '@directory/platform';

/**
 * The `rows` of an answer as CSV (RFC 4180): one header line, nested objects flattened to
 * dotted columns (`failedByReason.locked`), null as an empty cell.
 */
type Row = Record<string, unknown>;

function flatten(row: Row, prefix = '', into: Row = {}): Row {
  for (const [key, value] of Object.entries(row)) {
    const column = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flatten(value as Row, column, into);
    else into[column] = value;
  }
  return into;
}

export function toCsv(rows: readonly Row[], columns?: readonly string[]): string {
  const flat = rows.map((row) => flatten(row));
  const header = columns ?? (flat.length > 0 ? Object.keys(flat[0]) : []);
  const lines = [header.map(csvField).join(','), ...flat.map((row) => header.map((column) => csvField(row[column])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
