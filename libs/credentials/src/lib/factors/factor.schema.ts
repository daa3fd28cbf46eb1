import { Schema, type Types } from 'mongoose';
import { ModelName, SecondFactorType, sharedSchemaOptions, type SchemaRegistration } from '@directory/schemas';
import type { SealedSecret } from './factor-secret-box';

/** Not in libs/schemas' ModelName: only auth-api (and operator tools) may know these models. */
export const FactorModelName = {
  Factor: 'Factor',
  TotpStepUse: 'TotpStepUse',
  RecoveryCode: 'RecoveryCode',
  RecoveryCodeRedemption: 'RecoveryCodeRedemption',
} as const;

/** Factors kept in `factors` (passkeys add `webauthn`); recovery codes live apart, in `recoverycodes`. */
export const StoredFactorType = { Totp: SecondFactorType.Totp } as const;
export type StoredFactorType = (typeof StoredFactorType)[keyof typeof StoredFactorType];
export const STORED_FACTOR_TYPES: readonly StoredFactorType[] = Object.values(StoredFactorType);

/** `pending` from enrolment until a first valid code; only `active` factors sign anyone in. */
export const FactorStatus = { Pending: 'pending', Active: 'active' } as const;
export type FactorStatus = (typeof FactorStatus)[keyof typeof FactorStatus];
export const FACTOR_STATUSES: readonly FactorStatus[] = Object.values(FactorStatus);

export interface FactorFields {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  type: StoredFactorType;
  /** The user's label ("Phone"). */
  name: string;
  status: FactorStatus;
  /** The TOTP seed sealed with AES-256-GCM (FactorSecretBox); never selected unless asked for with `+secret`, never in JSON. */
  secret: SealedSecret;
  createdAt: Date;
  confirmedAt?: Date | null;
  lastUsedAt?: Date | null;
}

export interface TotpStepUseFields {
  factorId: Types.ObjectId;
  /** RFC 6238 time step T the accepted code belonged to. */
  step: number;
  at: Date;
  /** Once the step is out of every verification window the record has no job left. */
  expiresAt: Date;
}

export interface RecoveryCodeFields {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  /** The generation the code belongs to: a regeneration writes a new set and deletes the old one. */
  setId: Types.ObjectId;
  /** SHA-256 (hex) of `<userId>:<normalized code>`; the code itself is shown once and never stored. */
  hash: string;
  /** Informational (written after the redemption insert won): the redemption decides. */
  usedAt?: Date | null;
  createdAt: Date;
}

export interface RecoveryCodeRedemptionFields {
  /** The code's _id: the unique _id makes a code usable once, whoever races. */
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  at: Date;
}

const SealedSecretSchema = new Schema<SealedSecret>(
  {
    keyId: { type: String, required: true, match: /^[0-9a-f]{8}$/ },
    iv: { type: String, required: true },
    ciphertext: { type: String, required: true },
    tag: { type: String, required: true },
  },
  { _id: false },
);

export const FactorSchema = new Schema<FactorFields>(
  {
    userId: { type: Schema.Types.ObjectId, ref: ModelName.User, required: true },
    type: { type: String, enum: STORED_FACTOR_TYPES, required: true },
    name: { type: String, required: true, trim: true, minlength: 1, maxlength: 64 },
    status: { type: String, enum: FACTOR_STATUSES, required: true, default: FactorStatus.Pending },
    secret: { type: SealedSecretSchema, required: true, select: false },
    confirmedAt: Date,
    lastUsedAt: Date,
  },
  sharedSchemaOptions({ collection: 'factors', hidden: ['secret'], timestamps: false }),
);
FactorSchema.add({ createdAt: { type: Date, required: true, default: () => new Date() } });
// a user's factors (list, login's methods, verification), by type
FactorSchema.index({ userId: 1, type: 1 });

export const TotpStepUseSchema = new Schema<TotpStepUseFields>(
  {
    factorId: { type: Schema.Types.ObjectId, required: true },
    step: { type: Number, required: true, min: 0 },
    at: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  sharedSchemaOptions({ collection: 'totpstepuses', timestamps: false }),
);
// accepting a code = inserting its step: the unique index lets exactly one insert win (FerretDB included)
TotpStepUseSchema.index({ factorId: 1, step: 1 }, { unique: true });
TotpStepUseSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 }); // cleanup only

export const RecoveryCodeSchema = new Schema<RecoveryCodeFields>(
  {
    userId: { type: Schema.Types.ObjectId, ref: ModelName.User, required: true },
    setId: { type: Schema.Types.ObjectId, required: true },
    hash: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
    usedAt: Date,
  },
  sharedSchemaOptions({ collection: 'recoverycodes', hidden: ['hash'], timestamps: false }),
);
RecoveryCodeSchema.add({ createdAt: { type: Date, required: true, default: () => new Date() } });
RecoveryCodeSchema.index({ hash: 1 }, { unique: true }); // using a code: found by its hash
RecoveryCodeSchema.index({ userId: 1, createdAt: -1 }); // the user's current set, and the set's codes

export const RecoveryCodeRedemptionSchema = new Schema<RecoveryCodeRedemptionFields>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
  },
  sharedSchemaOptions({ collection: 'recoverycoderedemptions', timestamps: false }),
);
RecoveryCodeRedemptionSchema.index({ userId: 1 }); // a reset or regeneration deletes the user's redemptions

export const FACTOR_SCHEMA: SchemaRegistration = { name: FactorModelName.Factor, schema: FactorSchema };
export const TOTP_STEP_USE_SCHEMA: SchemaRegistration = { name: FactorModelName.TotpStepUse, schema: TotpStepUseSchema };
export const RECOVERY_CODE_SCHEMA: SchemaRegistration = { name: FactorModelName.RecoveryCode, schema: RecoveryCodeSchema };
export const RECOVERY_CODE_REDEMPTION_SCHEMA: SchemaRegistration = {
  name: FactorModelName.RecoveryCodeRedemption,
  schema: RecoveryCodeRedemptionSchema,
};
export const FACTOR_SCHEMAS: readonly SchemaRegistration[] = [
  FACTOR_SCHEMA,
  TOTP_STEP_USE_SCHEMA,
  RECOVERY_CODE_SCHEMA,
  RECOVERY_CODE_REDEMPTION_SCHEMA,
];
