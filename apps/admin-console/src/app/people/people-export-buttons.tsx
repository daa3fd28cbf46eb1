import { useEffect, useRef, useState } from 'react';
import { unwrap } from '../api/api-error';
import { ErrorNotice } from '../layout/error-notice';
import { useApi } from '../session/session-context';
import { EXPORT_MEDIA_TYPES, exportFileName, RecordCounter, type ExportFormat } from './people-export';
import { toApiQuery, type PeopleFilters } from './people-filters';
import { people } from './people-format';
import { saveFile } from '../shared/save-file';

type ExportState =
  | { kind: 'idle' }
  | { kind: 'running'; format: ExportFormat; records: number }
  | { kind: 'done'; fileName: string; records: number }
  | { kind: 'failed'; error: unknown };

/**
 * "Export CSV" / "Export NDJSON" for the current filters: GET /users/export through the typed
 * client (bearer token and refresh), read as a stream so the admin sees rows arrive and can cancel,
 * then saved through an object URL.
 */
export function PeopleExportButtons({ filters }: { filters: PeopleFilters }) {
  const api = useApi();
  const [state, setState] = useState<ExportState>({ kind: 'idle' });
  const abort = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => abort.current?.abort(), []);

  const run = async (format: ExportFormat) => {
    if (abort.current) return;
    const controller = new AbortController();
    abort.current = controller;
    setState({ kind: 'running', format, records: 0 });
    try {
      const body = unwrap(
        await api.users.GET('/users/export', {
          params: { query: toApiQuery(filters) },
          headers: { accept: EXPORT_MEDIA_TYPES[format] },
          parseAs: 'stream',
          signal: controller.signal,
        }),
      );
      if (!body) throw new Error('The export answered without a body');
      const counter = new RecordCounter(format);
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      const reader = body.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        chunks.push(next.value);
        counter.push(next.value);
        setState({ kind: 'running', format, records: counter.records });
      }
      const fileName = exportFileName(format, new Date());
      saveFile(new Blob(chunks, { type: EXPORT_MEDIA_TYPES[format] }), fileName);
      setState({ kind: 'done', fileName, records: counter.records });
    } catch (error) {
      if (controller.signal.aborted) setState({ kind: 'idle' });
      // A stream users-api cuts (a database failure after the first row) rejects here too.
      else setState({ kind: 'failed', error });
    } finally {
      if (abort.current === controller) abort.current = undefined;
    }
  };

  // aria-disabled, not disabled: a disabled button drops the keyboard focus of the admin who pressed it.
  const running = state.kind === 'running';
  return (
    <div className="people-export">
      <div className="people-export-buttons">
        <button type="button" className="button-quiet" aria-disabled={running} onClick={() => void run('csv')}>
          Export CSV
        </button>
        <button type="button" className="button-quiet" aria-disabled={running} onClick={() => void run('ndjson')}>
          Export NDJSON
        </button>
        {running && (
          <button type="button" className="button-quiet" onClick={() => abort.current?.abort()}>
            Cancel export
          </button>
        )}
      </div>
      <div role="status" className="people-export-status">
        {running && (
          <span>
            Exporting… {people(state.records)} so far ({state.format === 'csv' ? 'CSV' : 'NDJSON'})
          </span>
        )}
        {state.kind === 'done' && (
          <span>
            Exported {people(state.records)} to {state.fileName}.
          </span>
        )}
      </div>
      {state.kind === 'failed' && <ErrorNotice error={state.error} />}
    </div>
  );
}
