import fc from 'fast-check';
import { CsvFormatError, parseCsv, type CsvRecord } from './csv';
import { readLines } from './ndjson';

async function* chunksOf(text: string, sizes: number[] = [text.length || 1]): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

const parse = (text: string, sizes?: number[]) => collect(parseCsv(chunksOf(text, sizes)));

describe('parseCsv', () => {
  it('reads quoted fields, escaped quotes, embedded newlines and mixed line ends', async () => {
    const text = '\uFEFFemail,name\r\na@x.io,"Ñúñez, José"\n"b@x.io","He said ""hi""\r\nand left"\rc@x.io,plain\n';
    expect(await parse(text)).toEqual([
      { fields: ['email', 'name'], line: 1 },
      { fields: ['a@x.io', 'Ñúñez, José'], line: 2 },
      { fields: ['b@x.io', 'He said "hi"\r\nand left'], line: 3 },
      { fields: ['c@x.io', 'plain'], line: 5 },
    ]);
  });

  it('skips blank lines, keeps empty fields, reads a last line without newline', async () => {
    expect(await parse('a,b\n\n,\nx,')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['', ''], line: 3 },
      { fields: ['x', ''], line: 4 },
    ]);
  });

  it('flags malformed records instead of guessing silently', async () => {
    const records = await parse('a"b,c\n"x"y,z\n"open\n');
    expect(records.map((r) => r.malformed)).toEqual([
      'a quote inside an unquoted field',
      'unexpected text after a closing quote',
      'unterminated quoted field',
    ]);
  });

  it('gives up on a file whose quote never closes within a field limit', async () => {
    const huge = `"${'x'.repeat((1 << 20) + 10)}`;
    await expect(parse(huge)).rejects.toThrow(CsvFormatError);
  });

  it('does not depend on where chunks split the bytes (multi-byte letters included)', async () => {
    const cell = fc.stringMatching(/^[a-zé"ł,\n ]{0,6}$/);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1 }), async (rows, sizes) => {
        const text = rows.map((row) => row.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n');
        const whole = await parse(text);
        const split = await parse(text, sizes);
        expect(split).toEqual(whole);
        expect(whole.map((r: CsvRecord) => r.fields)).toEqual(rows);
      }),
      { numRuns: 100 },
    );
  });
});

describe('readLines', () => {
  it('numbers lines, strips CR, skips blank ones, and refuses overlong ones', async () => {
    const lines = await collect(readLines(chunksOf('{"a":1}\r\n\n  \n{"b":2}\n' + 'y'.repeat(50) + '\nlast', [3]), 20));
    expect(lines).toEqual([
      { text: '{"a":1}', line: 1 },
      { text: '{"b":2}', line: 4 },
      { text: '', line: 5, tooLong: true },
      { text: 'last', line: 6 },
    ]);
  });
});
