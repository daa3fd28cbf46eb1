import { pipeline, Readable } from 'node:stream';
import { parse, type Options } from 'csv-parse';

export interface CsvRecord {
  fields: string[];
  /** 1-based line of the file where the record starts (a quoted field may span lines). */
  line: number;
  /** Set when the record breaks RFC 4180 (stray quote, unterminated quoted field); the fields are a best effort. */
  malformed?: string;
}

/** A user record is a few hundred bytes; one past a megabyte means a broken quote swallowed the file. */
export const MAX_RECORD_BYTES = 1 << 20;

/** The file cannot be read as CSV at all (not one bad row). */
export class CsvFormatError extends Error {}

/** What csv-parse hands on_record when `raw` is set (its types only know string[]). */
interface RawRecord {
  record: string[];
  raw: string;
}

const OPTIONS: Options = {
  bom: true,
  // Any line end, mixed in one file (csv-parse would otherwise keep the first one it meets).
  record_delimiter: ['\r\n', '\n', '\r'],
  skip_empty_lines: true,
  // The caller compares each record with the header and names the row.
  relax_column_count: true,
  // Strict mode either stops at a stray quote or reads on inside it and swallows the next rows;
  // relaxed, csv-parse resumes at the next line end, and flawOf() flags the record instead.
  relax_quotes: true,
  // The text of each record, for its line number and flawOf().
  raw: true,
  max_record_size: MAX_RECORD_BYTES,
  // Hands the two errors relaxed quotes leave (a quote open at the end, an oversized record) to on_skip.
  skip_records_with_error: true,
};

/**
 * RFC 4180 records of a stream (csv-parse): comma-separated, fields optionally in double quotes,
 * `""` for a quote inside them, CRLF, LF or CR line ends, newlines inside quoted fields, a UTF-8
 * BOM. Chunks in, records out, so memory stays at one record (and the stream buffers) whatever
 * the file size. Blank lines are skipped.
 */
export async function* parseCsv(source: AsyncIterable<string | Buffer>): AsyncGenerator<CsvRecord> {
  // Counted on the parser's side, in file order: the records it buffers ahead are already numbered.
  let linesBefore = 0;
  const locate = (raw: string): { line: number; text: string } => {
    // csv-parse keeps the blank lines it skipped at the start of the next record's raw text, one
    // character each (it drops the LF of a CRLF it reads as a line end, not of one inside quotes).
    const blankLines = /^[\r\n]*/.exec(raw)?.[0].length ?? 0;
    const text = raw.slice(blankLines);
    const line = linesBefore + blankLines + 1;
    linesBefore = line - 1 + lineBreaks(text);
    return { line, text };
  };
  let unterminated: CsvRecord | undefined;
  const parser = parse({
    ...OPTIONS,
    on_record: ((read: RawRecord): CsvRecord => {
      const { line, text } = locate(read.raw);
      const malformed = flawOf(text);
      return { fields: read.record, line, ...(malformed && { malformed }) };
    }) as unknown as Options['on_record'],
    on_skip: (error, raw = '') => {
      const { line, text } = locate(raw);
      if (error?.code === 'CSV_QUOTE_NOT_CLOSED') {
        unterminated = {
          fields: [],
          line,
          malformed: flawOf(text) ?? 'unterminated quoted field',
        };
        return undefined;
      }
      throw error?.code === 'CSV_MAX_RECORD_SIZE'
        ? new CsvFormatError(`the record starting on line ${line} runs past ${MAX_RECORD_BYTES} bytes: unbalanced quotes?`)
        : error;
    },
  });
  // Errors (the source's too) surface in the loop below, through the parser.
  pipeline(Readable.from(source), parser, () => undefined);
  for await (const record of parser) yield record as CsvRecord;
  if (unterminated) yield unterminated;
}

const lineBreaks = (text: string): number => text.match(/\r\n|\r|\n/g)?.length ?? 0;

/**
 * A field as RFC 4180 writes it (quoted, a quote inside doubled; or without quotes), then a comma
 * or the record's end. Unrolled (`[^"]*(?:""[^"]*)*`): a long field costs no backtracking.
 */
const FIELD = /(?:"[^"]*(?:""[^"]*)*"(?!")|[^",]*)(,|[\r\n]?$)/y;
const CLOSED_QUOTE = /^"[^"]*(?:""[^"]*)*"(?!")/;

/** The first place where a record csv-parse read with relaxed quotes breaks RFC 4180, if any. */
function flawOf(text: string): string | undefined {
  for (let at = 0; ; at = FIELD.lastIndex) {
    FIELD.lastIndex = at;
    const field = FIELD.exec(text);
    if (field?.[1] === ',') continue;
    if (field) return undefined;
    if (text[at] !== '"') return 'a quote inside an unquoted field';
    return CLOSED_QUOTE.test(text.slice(at)) ? 'unexpected text after a closing quote' : 'unterminated quoted field';
  }
}
