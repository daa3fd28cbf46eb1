import { BadRequestException } from '@nestjs/common';
import { Types } from 'mongoose';
import type { NameCursor, TimeCursor } from '@directory/data-access';
import { UsersErrorCode } from './errors';

/**
 * Opaque page cursors: base64url of a small JSON array holding the last row's sort key and
 * `_id`, tagged with what they page through. Decoding checks the shape strictly and that the
 * text re-encodes to exactly itself, so an edited, truncated or foreign cursor is a 400,
 * never a 500 or a page from an arbitrary place (PRINCIPLES.md #7: range, never skip).
 */
const MAX_CURSOR_LENGTH = 1024;
const MAX_SORT_KEY_LENGTH = 512;
const OBJECT_ID_HEX = /^[0-9a-f]{24}$/;

const NAME_TAG = 'n1';
const TIME_TAG = 't1';

function encode(parts: unknown[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

function invalid(): BadRequestException {
  return new BadRequestException({
    message: 'Invalid cursor: pass nextCursor from the previous page unchanged',
    code: UsersErrorCode.InvalidCursor,
  });
}

function decode(raw: string, tag: string): [unknown, string] {
  if (raw.length === 0 || raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) throw invalid();
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parts) || parts.length !== 3 || parts[0] !== tag) throw invalid();
  const [, key, id] = parts as [string, unknown, unknown];
  if (typeof id !== 'string' || !OBJECT_ID_HEX.test(id)) throw invalid();
  // Only the canonical spelling is accepted: flipped padding bits or re-spaced JSON are tampering too.
  if (encode(parts) !== raw) throw invalid();
  return [key, id];
}

export function encodeNameCursor(row: { sortName: string; _id: Types.ObjectId }): string {
  return encode([NAME_TAG, row.sortName, row._id.toHexString()]);
}

export function decodeNameCursor(raw: string): NameCursor {
  const [sortName, id] = decode(raw, NAME_TAG);
  if (typeof sortName !== 'string' || sortName.length > MAX_SORT_KEY_LENGTH) throw invalid();
  return { sortName, id: new Types.ObjectId(id) };
}

export function encodeTimeCursor(row: { at: Date; _id: Types.ObjectId }): string {
  return encode([TIME_TAG, row.at.getTime(), row._id.toHexString()]);
}

export function decodeTimeCursor(raw: string): TimeCursor {
  const [at, id] = decode(raw, TIME_TAG);
  if (typeof at !== 'number' || !Number.isSafeInteger(at) || Number.isNaN(new Date(at).getTime())) throw invalid();
  return { at: new Date(at), id: new Types.ObjectId(id) };
}
