import { Schema, type HydratedDocument, type Types } from 'mongoose';
import { ModelName, SCHEMA_REGISTRY, sharedSchemaOptions, type SchemaRegistration } from '@directory/schemas';
import { LOGIN_FAILURE_SCHEMA } from './login-failure.schema';
import { ONE_TIME_TOKEN_SCHEMA, TOKEN_REDEMPTION_SCHEMA } from './one-time-token.schema';
import { FACTOR_SCHEMAS } from './factors/factor.schema';
import { PASSKEY_SCHEMA } from './passkeys/passkey.schema';

/** Not in libs/schemas' ModelName: only auth-api (and operator tools) may know this model. */
export const CredentialModelName = { AuthenticationMethod: 'AuthenticationMethod' } as const;

export const AuthenticationMethodType = {
  Password: 'password',
} as const;
export type AuthenticationMethodType = (typeof AuthenticationMethodType)[keyof typeof AuthenticationMethodType];
export const AUTHENTICATION_METHOD_TYPES: readonly AuthenticationMethodType[] = Object.values(AuthenticationMethodType);

export interface AuthenticationMethodFields {
  userId: Types.ObjectId;
  type: AuthenticationMethodType;
  /** argon2id hash for `password`; never selected unless asked for with `+secret`. */
  secret: string;
  /**
   * Legacy lockout counters: no longer read or written by auth-api (the failure ledger,
   * `loginfailures`, decides lockout for known and unknown emails alike). Kept so that
   * documents written by older versions, seed and import stay valid.
   */
  failedAttempts: number;
  lockedUntil?: Date | null;
  passwordChangedAt?: Date | null;
  /** Set when the stored hash uses weaker parameters than current policy; rehash on next login. */
  needsRehash: boolean;
  createdAt: Date;
  updatedAt: Date;
}
export type AuthenticationMethodDocument = HydratedDocument<AuthenticationMethodFields>;

/**
 * Credentials live apart from User (PRINCIPLES.md #5 "data locality for secrets"): a user
 * document can never carry a hash into a response, whatever projection a reader forgets.
 */
export const AuthenticationMethodSchema = new Schema<AuthenticationMethodFields>(
  {
    userId: {
      type: Schema.Types.ObjectId,
      ref: ModelName.User,
      required: true,
    },
    type: { type: String, enum: AUTHENTICATION_METHOD_TYPES, required: true },
    secret: { type: String, required: true, select: false },
    failedAttempts: { type: Number, default: 0, min: 0 },
    lockedUntil: Date,
    passwordChangedAt: Date,
    needsRehash: { type: Boolean, default: false },
  },
  // `secret` is hidden from JSON even when a caller selected it with +secret.
  sharedSchemaOptions({
    collection: 'authenticationmethods',
    hidden: ['secret'],
  }),
);

// login: the password method of the user found by email; unique = one method of each type per user
AuthenticationMethodSchema.index({ userId: 1, type: 1 }, { unique: true });

/** For `ConnectionsModule.forFeature` and tools that open a connection with every schema. */
export const AUTHENTICATION_METHOD_SCHEMA: SchemaRegistration = {
  name: CredentialModelName.AuthenticationMethod,
  schema: AuthenticationMethodSchema,
};

/** Every schema, the secret-holding ones included: for operator tools (sync-indexes, seed, import). */
export const EVERY_SCHEMA: readonly SchemaRegistration[] = [
  ...SCHEMA_REGISTRY,
  AUTHENTICATION_METHOD_SCHEMA,
  LOGIN_FAILURE_SCHEMA,
  ONE_TIME_TOKEN_SCHEMA,
  TOKEN_REDEMPTION_SCHEMA,
  ...FACTOR_SCHEMAS,
  PASSKEY_SCHEMA,
];
