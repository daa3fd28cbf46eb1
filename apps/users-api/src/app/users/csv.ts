import type { UserView } from './user-view';

/** Export columns, in order: the flat part of `UserView`. */
export const CSV_COLUMNS = [
  'id',
  'email',
  'name.first',
  'name.last',
  'displayName',
  'title',
  'department',
  'location',
  'phone',
  'managerId',
  'roles',
  'status',
  'lastLoginAt',
  'createdAt',
  'updatedAt',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Cells a spreadsheet would run as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180 field: quoted when it holds a comma, quote or line break; formula-looking text is defused with a leading '. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join(';') : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cell(view: UserView, column: CsvColumn): unknown {
  if (column === 'name.first') return view.name.first;
  if (column === 'name.last') return view.name.last;
  return view[column];
}

export function csvHeader(columns: readonly CsvColumn[]): string {
  return `${columns.join(',')}\r\n`;
}

export function csvRow(columns: readonly CsvColumn[], view: UserView): string {
  return `${columns.map((column) => csvField(cell(view, column))).join(',')}\r\n`;
}
