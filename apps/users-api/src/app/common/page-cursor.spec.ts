import { BadRequestException } from '@nestjs/common';
import { Types } from 'mongoose';
import { decodeNameCursor, decodeTimeCursor, encodeNameCursor, encodeTimeCursor } from './page-cursor';

describe('page cursors', () => {
  const _id = new Types.ObjectId();

  it('round-trip', () => {
    const name = decodeNameCursor(encodeNameCursor({ sortName: 'nunez jose', _id }));
    expect(name.sortName).toBe('nunez jose');
    expect(name.id.equals(_id)).toBe(true);
    const at = new Date('2026-11-23T10:00:00.123Z');
    const time = decodeTimeCursor(encodeTimeCursor({ at, _id }));
    expect(time.at).toEqual(at);
  });

  it('refuse every single-character change', () => {
    const cursor = encodeNameCursor({ sortName: 'smith ann', _id });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let accepted = 0;
    for (let i = 0; i < cursor.length; i += 1) {
      for (const replacement of alphabet) {
        if (replacement === cursor[i]) continue;
        const tampered = cursor.slice(0, i) + replacement + cursor.slice(i + 1);
        try {
          const decoded = decodeNameCursor(tampered);
          // A change inside the sort key or id can still be a well-formed cursor: then it
          // must decode to a different position, never to garbage.
          expect(decoded.sortName === 'smith ann' && decoded.id.equals(_id)).toBe(false);
          accepted += 1;
        } catch (error) {
          expect(error).toBeInstanceOf(BadRequestException);
        }
      }
    }
    expect(accepted).toBeLessThan(cursor.length * alphabet.length);
  });

  it('do not cross lists', () => {
    expect(() => decodeTimeCursor(encodeNameCursor({ sortName: 'a', _id }))).toThrow(BadRequestException);
    expect(() => decodeNameCursor(encodeTimeCursor({ at: new Date(), _id }))).toThrow(BadRequestException);
  });
});
