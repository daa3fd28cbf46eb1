import { exportFileName, RecordCounter, type ExportFormat } from './people-export';

const bytes = (text: string) => new TextEncoder().encode(text);

function count(format: ExportFormat, text: string, chunkSize: number): number {
  const counter = new RecordCounter(format);
  const all = bytes(text);
  for (let start = 0; start < all.length; start += chunkSize) counter.push(all.subarray(start, start + chunkSize));
  return counter.records;
}

describe('exportFileName', () => {
  it('names the file by the local calendar day and the format', () => {
    expect(exportFileName('csv', new Date(2026, 0, 5, 23, 59))).toBe('people-2026-01-05.csv');
    expect(exportFileName('ndjson', new Date(2026, 11, 31))).toBe('people-2026-12-31.ndjson');
  });
});

describe('RecordCounter', () => {
  const csv = 'id,email,name.first\r\n1,a@example.com,"Ada\nLovelace"\r\n2,"b""@example.com",Bob\r\n3,c@example.com,Ñúñez\r\n';
  const ndjson = '{"id":"1","title":"a\\nb"}\n{"id":"2","name":"José"}\n';

  it.each([1, 2, 3, 7, 1000])('counts CSV records, not lines, in chunks of %i bytes', (size) => {
    expect(count('csv', csv, size)).toBe(3);
  });

  it.each([1, 5, 1000])('counts NDJSON lines in chunks of %i bytes', (size) => {
    expect(count('ndjson', ndjson, size)).toBe(2);
  });

  it('counts no records for a header alone or nothing', () => {
    expect(count('csv', 'id,email\r\n', 4)).toBe(0);
    expect(count('csv', '', 4)).toBe(0);
    expect(count('ndjson', '', 4)).toBe(0);
  });
});
