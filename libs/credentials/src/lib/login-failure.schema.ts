import { Schema } from 'mongoose';
import { sharedSchemaOptions, type SchemaRegistration } from '@directory/schemas';

/** Not in libs/schemas' ModelName: only auth-api (and operator tools) may know this model. */
export const LoginFailureModelName = { LoginFailure: 'LoginFailure' } as const;

/**
 * One failed (or in-flight) login attempt in the failure ledger. Every attempt is counted
 * under three keys, all HMAC-SHA256 with a server secret (no email or address in clear):
 * `pair` (email, source address), `account` (email) and `source` (address). The email is
 * keyed whether or not an account has it, so an unknown email is treated exactly like a
 * known one (ASVS 5.0 V6.3.8: no account enumeration).
 */
export interface LoginFailureFields {
  pair: string;
  account: string;
  source: string;
  at: Date;
  /** When the document stops counting under any window; a TTL index removes it after that. */
  expiresAt: Date;
}

export const LoginFailureSchema = new Schema<LoginFailureFields>(
  {
    pair: { type: String, required: true },
    account: { type: String, required: true },
    source: { type: String, required: true },
    at: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  sharedSchemaOptions({ collection: 'loginfailures', timestamps: false }),
);

// Each count is "this key, within the window": one index per key, ending in `at`.
LoginFailureSchema.index({ pair: 1, at: 1 });
LoginFailureSchema.index({ account: 1, at: 1 });
LoginFailureSchema.index({ source: 1, at: 1 });
LoginFailureSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export const LOGIN_FAILURE_SCHEMA: SchemaRegistration = { name: LoginFailureModelName.LoginFailure, schema: LoginFailureSchema };
