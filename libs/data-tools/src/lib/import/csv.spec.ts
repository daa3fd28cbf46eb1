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

  it('skips blank lines of any line end without losing count of them', async () => {
    expect(await parse('a\r\n\r\n\nb\r\r\n"c\r\n"\n\rd')).toEqual([
      { fields: ['a'], line: 1 },
      { fields: ['b'], line: 4 },
      { fields: ['c\r\n'], line: 6 },
      { fields: ['d'], line: 9 },
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

  it('costs a stray quote one record: the next line is read as usual, with its line number', async () => {
    expect(await parse('h1,h2\r\na"b,c\r\n"x"y,"z\r\nw"\r\nok,"1"\r\n"x" ,y\r\n\r\n"open,\r\nnever,read\r\n')).toEqual([
      { fields: ['h1', 'h2'], line: 1 },
      {
        fields: expect.any(Array),
        line: 2,
        malformed: 'a quote inside an unquoted field',
      },
      {
        fields: expect.any(Array),
        line: 3,
        malformed: 'unexpected text after a closing quote',
      },
      { fields: ['ok', '1'], line: 5 },
      {
        fields: expect.any(Array),
        line: 6,
        malformed: 'unexpected text after a closing quote',
      },
      // An open quote swallows the rest of the file: one record, reported where it starts.
      {
        fields: expect.any(Array),
        line: 8,
        malformed: 'unterminated quoted field',
      },
    ]);
  });

  it('names the first flaw of a record', async () => {
    expect((await parse('a"b,"open\nmore')).map((r) => r.malformed)).toEqual(['a quote inside an unquoted field']);
    expect((await parse('x,"a""\n')).map((r) => r.malformed)).toEqual(['unterminated quoted field']);
  });

  it('gives up on a file whose quote never closes within a record limit, naming the line', async () => {
    const huge = `a,b\n\n"${'x'.repeat((1 << 20) + 10)}`;
    await expect(parse(huge)).rejects.toThrow(CsvFormatError);
    await expect(parse(huge)).rejects.toThrow(/record starting on line 3 runs past 1048576 bytes/);
  });

  it('streams: reads a bounded part of the source ahead and releases it when the reader stops', async () => {
    let bytesPulled = 0;
    let released = false;
    async function* endless(): AsyncGenerator<Buffer> {
      try {
        for (;;) {
          const chunk = Buffer.from('a@x.io,"row"\n'.repeat(10));
          bytesPulled += chunk.length;
          yield chunk;
        }
      } finally {
        released = true;
      }
    }
    const lines: number[] = [];
    for await (const record of parseCsv(endless())) {
      lines.push(record.line);
      if (lines.length === 3) break;
    }
    expect(lines).toEqual([1, 2, 3]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toBe(true);
    // Stream buffers (tens of kilobytes), not the file.
    expect(bytesPulled).toBeLessThan(1 << 20);
  });

  it('does not depend on where chunks split the bytes (multi-byte letters included)', async () => {
    const cell = fc.stringMatching(/^[a-zé"ł,\n ]{0,6}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1 }),
        async (rows, sizes) => {
          const text = rows.map((row) => row.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n');
          const whole = await parse(text);
          const split = await parse(text, sizes);
          expect(split).toEqual(whole);
          expect(whole.map((r: CsvRecord) => r.fields)).toEqual(rows);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('does not depend on where chunks split malformed input either (records, lines, flaws)', async () => {
    const piece = fc.constantFrom('a', 'ł', '"', '""', ',', '\r', '\n', '\r\n', ' ');
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1 }),
        async (pieces, sizes) => {
          const text = pieces.join('');
          expect(await parse(text, sizes)).toEqual(await parse(text));
        },
      ),
      { numRuns: 200 },
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
