import { Schema, type HydratedDocument, type Types } from 'mongoose';
import { ModelName } from '../registry';
import { SHA256_HEX_PATTERN } from '../shared/patterns';
import { sharedSchemaOptions } from '../shared/schema-options';

/** Refresh tokens are stored only as SHA-256 hashes, so a database dump cannot be replayed. */
const TOKEN_HASH_PATTERN = SHA256_HEX_PATTERN;

/**
 * How many superseded token hashes a session remembers for reuse detection. Bounds the
 * document; a token older than this many rotations is just unknown (refused, but without
 * revoking the family). Append with `$push: { rotatedHashes: { $each: [old], $slice: -MAX_ROTATED_HASHES } }`.
 */
export const MAX_ROTATED_HASHES = 50;

export interface SessionFields {
  userId: Types.ObjectId;
  /** Random id of the refresh-token family this session is. */
  family: string;
  /** Hash of the one refresh token currently valid for this family. */
  tokenHash: string;
  /** Hashes of tokens already rotated away: presenting one is replay, which revokes the family. */
  rotatedHashes: string[];
  /** How many times the refresh token was rotated. */
  rotation: number;
  expiresAt: Date;
  revokedAt?: Date | null;
  userAgent?: string | null;
  ip?: string | null;
  /**
   * How the session's user last authenticated (RFC 8176 values: `pwd`, `otp`, `hwk`, `swk`,
   * `mfa`) and when: copied into every access token of the session as `amr` and `auth_time`,
   * which step-up checks read. Sessions written by older versions have neither: password only.
   */
  amr?: string[];
  authTime?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
export type SessionDocument = HydratedDocument<SessionFields>;

/**
 * One document per refresh-token family (ARCHITECTURE.md). Reuse detection without a
 * document per token: the current token's hash is `tokenHash`, earlier ones move to the
 * small indexed array `rotatedHashes`. A refresh looks up `{ tokenHash }` (unique index);
 * only when that misses, `{ rotatedHashes: hash }` — one indexed query — tells a replayed
 * token (revoke the family) from an unknown one.
 */
export const SessionSchema = new Schema<SessionFields>(
  {
    userId: {
      type: Schema.Types.ObjectId,
      ref: ModelName.User,
      required: true,
    },
    family: { type: String, required: true, minlength: 16, maxlength: 128 },
    tokenHash: {
      type: String,
      required: true,
      select: false,
      match: TOKEN_HASH_PATTERN,
    },
    rotatedHashes: {
      type: [{ type: String, match: TOKEN_HASH_PATTERN }],
      default: () => [],
      select: false,
      validate: {
        validator: (hashes: string[]) => hashes.length <= MAX_ROTATED_HASHES,
        message: `rotatedHashes holds at most ${MAX_ROTATED_HASHES} hashes`,
      },
    },
    rotation: { type: Number, default: 0, min: 0 },
    expiresAt: { type: Date, required: true },
    revokedAt: Date,
    userAgent: { type: String, trim: true, maxlength: 512 },
    ip: { type: String, trim: true, maxlength: 64 },
    amr: { type: [{ type: String, match: /^[a-z]{2,8}$/ }], default: undefined },
    authTime: Date,
  },
  sharedSchemaOptions({
    collection: 'sessions',
    hidden: ['tokenHash', 'rotatedHashes'],
  }),
);

SessionSchema.index({ tokenHash: 1 }, { unique: true }); // POST /auth/refresh and /auth/logout: the session of a presented token
SessionSchema.index({ rotatedHashes: 1 }); // reuse detection: which family a replayed, already-rotated token belonged to
SessionSchema.index({ family: 1 }, { unique: true }); // revoke a family by id (logout of the session an access token names)
SessionSchema.index({ userId: 1 }); // revoke every session of a user: password change, suspension, logout everywhere
// Cleanup only: correctness never depends on TTL, because FerretDB v1 refuses TTL indexes
// (libs/connections keeps this one as a plain index there) and so never expires anything. Every read checks `expiresAt > now` (and `revokedAt`) itself.
SessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
