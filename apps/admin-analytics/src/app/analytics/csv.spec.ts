import { toCsv } from './csv';

describe('toCsv', () => {
  it('writes a header and flattens nested objects into dotted columns', () => {
    expect(toCsv([{ bucket: '2027-01-01', failed: 2, failedByReason: { locked: 1, bad_password: 1 } }])).toBe(
      'bucket,failed,failedByReason.locked,failedByReason.bad_password\r\n2027-01-01,2,1,1\r\n',
    );
  });

  it('quotes commas and quotes, leaves null empty, defuses formulas', () => {
    expect(
      toCsv([
        { key: 'R&D, "core"', share: null },
        { key: '=HYPERLINK()', share: 0.5 },
      ]),
    ).toBe('key,share\r\n"R&D, ""core""",\r\n\'=HYPERLINK(),0.5\r\n');
  });

  it('keeps the header of an empty table when columns are given', () => {
    expect(toCsv([], ['bucket', 'count'])).toBe('bucket,count\r\n');
  });
});
