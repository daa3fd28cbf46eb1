import { csvField } from '@directory/platform';
import type { UserView } from '@directory/data-access';

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
