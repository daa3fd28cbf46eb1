export type ExportFormat = 'csv' | 'ndjson';

/** What GET /users/export negotiates on (users-api EXPORT_FORMATS). */
export const EXPORT_MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
};

const pad = (n: number): string => String(n).padStart(2, '0');

/** `people-2026-12-01.csv`: the admin's own calendar day, the day they will look for the file by. */
export function exportFileName(format: ExportFormat, now: Date): string {
  return `people-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.${format}`;
}

const NEWLINE = 0x0a;
const QUOTE = 0x22;

/**
 * Counts the records of an export while its bytes arrive, chunk by chunk (chunks split anywhere,
 * even inside a field). NDJSON: one record a line (JSON escapes newlines). CSV: a line ends a
 * record only outside quotes, since a quoted field may hold a newline (an escaped quote `""`
 * toggles twice, so it changes nothing); the header row is not a record. Both bytes are ASCII,
 * which never occurs inside a multi-byte UTF-8 character, so bytes can be scanned without decoding.
 */
export class RecordCounter {
  private lines = 0;
  private quoted = false;

  constructor(private readonly format: ExportFormat) {}

  push(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (byte === QUOTE && this.format === 'csv') this.quoted = !this.quoted;
      else if (byte === NEWLINE && !this.quoted) this.lines += 1;
    }
  }

  /** Records ended so far (users-api ends every line, the last one included). */
  get records(): number {
    return this.format === 'csv' ? Math.max(0, this.lines - 1) : this.lines;
  }
}
