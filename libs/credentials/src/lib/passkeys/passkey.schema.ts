import { Schema, type Types } from 'mongoose';
import { ModelName, sharedSchemaOptions, type SchemaRegistration } from '@directory/schemas';

/** Not in libs/schemas' ModelName: only auth-api (and operator tools) may know this model. */
export const PasskeyModelName = { Passkey: 'Passkey' } as const;

/** WebAuthn's backup eligibility (flag BE): a `multiDevice` credential may be synced (a "synced passkey"). */
export const PasskeyDeviceType = { SingleDevice: 'singleDevice', MultiDevice: 'multiDevice' } as const;
export type PasskeyDeviceType = (typeof PasskeyDeviceType)[keyof typeof PasskeyDeviceType];
export const PASSKEY_DEVICE_TYPES: readonly PasskeyDeviceType[] = Object.values(PasskeyDeviceType);

/** base64url without padding (credential ids and COSE keys as WebAuthn's JSON carries them). */
export const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface PasskeyFields {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  /** The user's label ("Laptop"). */
  name: string;
  /** The credential id (base64url): unique over all users, as the authenticator chose it. */
  credentialId: string;
  /** The credential's COSE public key (base64url). Public: nothing here signs anyone in. */
  publicKey: string;
  /** The authenticator's signature counter (0 = it keeps none). */
  counter: number;
  transports: string[];
  deviceType: PasskeyDeviceType;
  /** Flag BS of the last ceremony: the credential is backed up (synced) now. */
  backedUp: boolean;
  /** The authenticator model (AAGUID; all zeros with `none` attestation from most platforms). */
  aaguid?: string | null;
  createdAt: Date;
  lastUsedAt?: Date | null;
}

export const PasskeySchema = new Schema<PasskeyFields>(
  {
    userId: { type: Schema.Types.ObjectId, ref: ModelName.User, required: true },
    name: { type: String, required: true, trim: true, minlength: 1, maxlength: 64 },
    credentialId: { type: String, required: true, match: BASE64URL, maxlength: 1366 },
    publicKey: { type: String, required: true, match: BASE64URL, maxlength: 4096 },
    counter: { type: Number, required: true, min: 0, default: 0 },
    transports: { type: [String], default: [] },
    deviceType: { type: String, enum: PASSKEY_DEVICE_TYPES, required: true },
    backedUp: { type: Boolean, required: true, default: false },
    aaguid: { type: String, maxlength: 36 },
    lastUsedAt: Date,
  },
  sharedSchemaOptions({ collection: 'passkeys', timestamps: false }),
);
PasskeySchema.add({ createdAt: { type: Date, required: true, default: () => new Date() } });
// one credential, one account: a second registration of the same authenticator loses the insert
PasskeySchema.index({ credentialId: 1 }, { unique: true });
// a user's passkeys (list, login's allowCredentials, excludeCredentials, removal)
PasskeySchema.index({ userId: 1 });

export const PASSKEY_SCHEMA: SchemaRegistration = { name: PasskeyModelName.Passkey, schema: PasskeySchema };
