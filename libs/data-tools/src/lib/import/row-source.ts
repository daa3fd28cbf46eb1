import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { parseCsv } from './csv';
import { readLines } from './ndjson';
import { REQUIRED_CSV_COLUMNS } from './import-rows';

export type InputFormat = 'csv' | 'ndjson';

/** A record of the input file, or why it could not be read as one. */
export interface SourceRow {
  row: number;
  line: number;
  record?: Record<string, unknown>;
  error?: string;
}

/** The whole file is unusable (no header, missing columns); nothing was imported. */
export class InputFileError extends Error {}

export function formatOf(path: string): InputFormat | undefined {
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.ndjson' || extension === '.jsonl') return 'ndjson';
  return undefined;
}

export interface RowSourceOptions {
  /** Called with the size of every chunk read, for a progress bar over the file. */
  onBytes?: (bytes: number) => void;
}

/** Streams the records of a CSV or NDJSON file, one at a time (constant memory). */
export async function* readRows(path: string, format: InputFormat, options: RowSourceOptions = {}): AsyncGenerator<SourceRow> {
  const chunks = counted(createReadStream(path, { highWaterMark: 256 * 1024 }), options.onBytes);
  if (format === 'ndjson') {
    let row = 0;
    for await (const { text, line, tooLong } of readLines(chunks)) {
      row++;
      if (tooLong) {
        yield { row, line, error: 'line too long' };
        continue;
      }
      yield parseJsonRecord(text, row, line);
    }
    return;
  }

  let header: string[] | undefined;
  let row = 0;
  for await (const record of parseCsv(chunks)) {
    if (!header) {
      header = checkHeader(record.fields);
      continue;
    }
    row++;
    if (record.malformed) yield { row, line: record.line, error: `malformed CSV: ${record.malformed}` };
    else if (record.fields.length !== header.length) {
      // A shifted column would put values into the wrong fields: refuse rather than guess.
      const hint = record.fields.some((field) => field.startsWith('$argon2'))
        ? ' (argon2 hashes contain commas: quote the password_hash field)'
        : '';
      yield { row, line: record.line, error: `expected ${header.length} fields like the header, found ${record.fields.length}${hint}` };
    } else {
      const fields = record.fields;
      yield { row, line: record.line, record: Object.fromEntries(header.map((column, i) => [column, fields[i]])) };
    }
  }
  if (!header) throw new InputFileError(`${path} is empty: a CSV file starts with a header row`);
}

function checkHeader(fields: string[]): string[] {
  const header = fields.map((column) => column.trim().toLowerCase());
  const duplicate = header.find((column, i) => header.indexOf(column) !== i);
  if (duplicate !== undefined) throw new InputFileError(`the header names column "${duplicate}" twice`);
  const missing = REQUIRED_CSV_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new InputFileError(`the header lacks required column(s): ${missing.join(', ')}`);
  return header;
}

function parseJsonRecord(text: string, row: number, line: number): SourceRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { row, line, error: `invalid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { row, line, error: 'expected a JSON object' };
  }
  return { row, line, record: value as Record<string, unknown> };
}

async function* counted(source: AsyncIterable<Buffer>, onBytes?: (bytes: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    onBytes?.(chunk.length);
    yield chunk;
  }
}
