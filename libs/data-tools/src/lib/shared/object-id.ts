import { Types } from 'mongoose';

/** One tag per collection, so ids of different kinds never coincide even with equal counters. */
export const IdTag = {
  User: 0x01,
  AuthenticationMethod: 0x02,
  Event: 0x03,
  Activity: 0x04,
} as const;
export type IdTag = (typeof IdTag)[keyof typeof IdTag];

/**
 * A deterministic ObjectId: 4 bytes of seconds (the document's own instant, so ids still sort
 * roughly by time and `getTimestamp()` is meaningful), 1 byte collection tag, 3 bytes of the
 * seed's hash and a 4-byte counter. Re-running a seed therefore produces the same `_id`s and
 * the insert skips what is already there, which is what makes the seed idempotent.
 * Driver-generated ids use a per-process random value in bytes 4-8, so a clash with
 * them is as unlikely as between any two ObjectIds.
 */
export function seededObjectId(at: Date | number, tag: IdTag, seedHash: number, counter: number): Types.ObjectId {
  const millis = typeof at === 'number' ? at : at.getTime();
  if (!Number.isInteger(counter) || counter < 0 || counter > 0xffffffff) {
    throw new RangeError(`ObjectId counter out of range: ${counter}`);
  }
  const bytes = new Uint8Array(12);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, Math.floor(millis / 1000) >>> 0);
  bytes[4] = tag;
  bytes[5] = (seedHash >>> 16) & 0xff;
  bytes[6] = (seedHash >>> 8) & 0xff;
  bytes[7] = seedHash & 0xff;
  view.setUint32(8, counter >>> 0);
  return new Types.ObjectId(bytes);
}
