import { Schema, type Types } from 'mongoose';
import { ModelName, sharedSchemaOptions, type SchemaRegistration } from '@directory/schemas';

/** Not in libs/schemas' ModelName: only auth-api (and operator tools) may know these models. */
export const OneTimeTokenModelName = { OneTimeToken: 'OneTimeToken', TokenRedemption: 'TokenRedemption' } as const;

/** What a token is for; a token of one purpose is refused by every other flow. */
export const TokenPurpose = {
  EmailVerification: 'email-verification',
  PasswordReset: 'password-reset',
  Invitation: 'invitation',
  EmailChange: 'email-change',
  /** The second step of a login with a second factor (POST /auth/mfa/verify); bound to the password check. */
  MfaChallenge: 'mfa-challenge',
  /** A WebAuthn registration ceremony (the token is the challenge); bound to the user and email. */
  PasskeyRegistration: 'passkey-registration',
  /** Passwordless sign-in with a discoverable credential: nobody is known yet, so no user and no binding. */
  PasskeySignIn: 'passkey-sign-in',
  /** A step-up with a passkey inside a session; bound to the user and email. */
  PasskeyStepUp: 'passkey-step-up',
} as const;
export type TokenPurpose = (typeof TokenPurpose)[keyof typeof TokenPurpose];
export const TOKEN_PURPOSES: readonly TokenPurpose[] = Object.values(TokenPurpose);

/**
 * The state a token was issued for; a flow refuses the token once the state moved on: a
 * verification or email-change token dies when the email changes, a reset token when the
 * password changes by another path, an invitation link when a newer invitation was sent.
 */
export interface TokenBinding {
  email: string;
  passwordChangedAt?: Date | null;
  invitedAt?: Date | null;
}

/** The one purpose issued before anyone is known: its tokens have neither `userId` nor `binding`. */
export const isUnboundPurpose = (purpose: TokenPurpose): boolean => purpose === TokenPurpose.PasskeySignIn;

export interface OneTimeTokenFields {
  _id: Types.ObjectId;
  purpose: TokenPurpose;
  /**
   * Absent only on passkey-sign-in tokens; `inspect` refuses a token of another purpose before
   * a flow reads this, so every other flow may rely on it.
   */
  userId: Types.ObjectId;
  /** SHA-256 (hex) of the 256-bit token: the token itself is never stored. */
  hash: string;
  binding: TokenBinding;
  /** EmailChange: the address the user asked for. */
  newEmail?: string | null;
  /** The outbox message that carried it. */
  messageId?: Types.ObjectId | null;
  expiresAt: Date;
  createdAt: Date;
}

export interface TokenRedemptionFields {
  /** The redeemed token's _id: the unique _id makes a redemption happen once, whoever races. */
  _id: Types.ObjectId;
  at: Date;
  /** The token's own expiry: once the token is dead its redemption record has no job left. */
  expiresAt: Date;
}

const TokenBindingSchema = new Schema<TokenBinding>(
  {
    email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    passwordChangedAt: Date,
    invitedAt: Date,
  },
  { _id: false },
);

/** Every purpose but passkey-sign-in names its user and the state it was issued for. */
function boundToUser(this: { purpose?: TokenPurpose }): boolean {
  return !this.purpose || !isUnboundPurpose(this.purpose);
}

export const OneTimeTokenSchema = new Schema<OneTimeTokenFields>(
  {
    purpose: { type: String, enum: TOKEN_PURPOSES, required: true },
    userId: { type: Schema.Types.ObjectId, ref: ModelName.User, required: boundToUser },
    hash: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
    binding: { type: TokenBindingSchema, required: boundToUser },
    newEmail: { type: String, lowercase: true, trim: true, maxlength: 254 },
    messageId: Schema.Types.ObjectId,
    expiresAt: { type: Date, required: true },
  },
  sharedSchemaOptions({ collection: 'onetimetokens', hidden: ['hash'], timestamps: false }),
);
OneTimeTokenSchema.add({ createdAt: { type: Date, required: true, default: () => new Date() } });
OneTimeTokenSchema.index({ hash: 1 }, { unique: true }); // redeeming: the token presented, by its hash
OneTimeTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 }); // cleanup only: every read checks expiresAt itself

export const TokenRedemptionSchema = new Schema<TokenRedemptionFields>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  sharedSchemaOptions({ collection: 'tokenredemptions', timestamps: false }),
);
TokenRedemptionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 }); // cleanup only

export const ONE_TIME_TOKEN_SCHEMA: SchemaRegistration = { name: OneTimeTokenModelName.OneTimeToken, schema: OneTimeTokenSchema };
export const TOKEN_REDEMPTION_SCHEMA: SchemaRegistration = { name: OneTimeTokenModelName.TokenRedemption, schema: TokenRedemptionSchema };
