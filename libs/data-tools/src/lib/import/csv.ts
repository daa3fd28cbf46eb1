import { StringDecoder } from 'node:string_decoder';

export interface CsvRecord {
  fields: string[];
  /** 1-based line of the file where the record starts (a quoted field may span lines). */
  line: number;
  /** Set when the record breaks RFC 4180 (stray quote, unterminated quoted field); the fields are a best effort. */
  malformed?: string;
}

/** A user record's field is short; one this long means a broken quote swallowed the file. */
export const MAX_FIELD_LENGTH = 1 << 20;

/** The file cannot be read as CSV at all (not one bad row). */
export class CsvFormatError extends Error {}

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted';

/**
 * A streaming RFC 4180 reader: comma-separated, fields optionally in double quotes, `""` for a
 * quote inside them, CRLF, LF or CR line ends, newlines inside quoted fields, a UTF-8 BOM.
 * Chunks in, records out, so memory stays at one record whatever the file size. Blank lines
 * are skipped. Written here (no CSV parser is installed, and this is 80 lines) rather than
 * adding a dependency.
 */
export async function* parseCsv(source: AsyncIterable<string | Buffer>): AsyncGenerator<CsvRecord> {
  const decoder = new StringDecoder('utf8');
  let fields: string[] = [];
  let field = '';
  let state: State = 'fieldStart';
  let line = 1;
  let recordLine = 1;
  let malformed: string | undefined;
  /** Whether the record had a quoted field: `""` alone on a line is a record, not a blank line. */
  let quoted = false;
  let previousWasCR = false;
  let atStart = true;

  const endRecord = (): CsvRecord | undefined => {
    fields.push(field);
    const record: CsvRecord = { fields, line: recordLine, ...(malformed && { malformed }) };
    fields = [];
    field = '';
    state = 'fieldStart';
    malformed = undefined;
    const blank = record.fields.length === 1 && record.fields[0] === '' && !quoted && !record.malformed;
    quoted = false;
    return blank ? undefined : record;
  };

  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (atStart && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      atStart = false;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (c === '\n' && previousWasCR) {
        // Second half of a CRLF: the line was already counted (and the record ended) at the CR.
        previousWasCR = false;
        if (state === 'quoted') field += c;
        continue;
      }
      previousWasCR = c === '\r';
      if (state === 'quoted') {
        if (c === '"') state = 'quoteInQuoted';
        else {
          field += c;
          if (c === '\n' || c === '\r') line++;
          if (field.length > MAX_FIELD_LENGTH) {
            throw new CsvFormatError(`a quoted field starting on line ${recordLine} runs past ${MAX_FIELD_LENGTH} characters: unbalanced quotes?`);
          }
        }
        continue;
      }
      if (state === 'quoteInQuoted') {
        if (c === '"') {
          field += '"';
          state = 'quoted';
          continue;
        }
        state = 'unquoted';
        if (c !== ',' && c !== '\n' && c !== '\r') malformed ??= 'unexpected text after a closing quote';
      }
      if (c === ',') {
        fields.push(field);
        field = '';
        state = 'fieldStart';
      } else if (c === '\n' || c === '\r') {
        const record = endRecord();
        line++;
        recordLine = line;
        if (record) yield record;
      } else if (c === '"' && state === 'fieldStart') {
        state = 'quoted';
        quoted = true;
      } else {
        if (c === '"') malformed ??= 'a quote inside an unquoted field';
        field += c;
        state = 'unquoted';
        if (field.length > MAX_FIELD_LENGTH) throw new CsvFormatError(`line ${line} is longer than ${MAX_FIELD_LENGTH} characters`);
      }
    }
  }
  field += decoder.end();
  if (state === 'quoted') malformed ??= 'unterminated quoted field';
  if (fields.length > 0 || field !== '' || state !== 'fieldStart') {
    const record = endRecord();
    if (record) yield record;
  }
}
