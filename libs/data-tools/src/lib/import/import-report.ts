import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export type ReportStatus = 'rejected' | 'warning';

/** One NDJSON line of the report. */
export interface ReportEntry {
  status: ReportStatus;
  /** 1-based record number (CSV: not counting the header). */
  row: number;
  /** 1-based line of the file where the record starts. */
  line: number;
  email?: string;
  reasons: string[];
}

/**
 * The rejected rows (not imported) and warnings (imported, with a caveat), one JSON object per
 * line, written as they happen so a large file's report never sits in memory.
 */
export class ImportReport {
  private readonly stream: WriteStream;
  readonly counts: Record<ReportStatus, number> = { rejected: 0, warning: 0 };

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'w', encoding: 'utf8' });
  }

  async add(entry: ReportEntry): Promise<void> {
    this.counts[entry.status]++;
    const { status, row, line, email, reasons } = entry;
    if (!this.stream.write(`${JSON.stringify({ status, row, line, ...(email !== undefined && { email }), reasons })}\n`)) {
      await once(this.stream, 'drain');
    }
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
