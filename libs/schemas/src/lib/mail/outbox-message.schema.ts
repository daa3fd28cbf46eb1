import { Schema, type HydratedDocument, type Types } from 'mongoose';
import { ModelName } from '../registry';
import { sharedSchemaOptions } from '../shared/schema-options';
import { MAIL_TEMPLATES, OUTBOX_RETENTION_SECONDS, OUTBOX_STATUSES, OutboxStatus, type MailTemplate } from './mail.constants';

/** Facts a template needs besides its recipient; plain values, never a secret. */
export interface OutboxParams {
  /** PasswordChanged: the credential's passwordChangedAt the notice announces. */
  changedAt?: Date;
  /** Invitation: the user's invitedAt the link is for (a re-invitation voids older ones). */
  invitedAt?: Date;
  /** EmailChangeConfirmation / EmailChangeNotice: the address the change starts from. */
  fromEmail?: string;
  /** EmailChangeNotice: the address asked for. */
  toEmail?: string;
  /** Who asked, when not the user (an admin's invitation or reset). */
  requestedBy?: Types.ObjectId;
}

export interface OutboxMessageFields {
  template: MailTemplate;
  /** Lowercased recipient address. */
  to: string;
  /** The account the message is about; absent for a reset asked for an address with no account. */
  userId?: Types.ObjectId | null;
  params?: OutboxParams;
  status: OutboxStatus;
  /** Delivery attempts claimed so far (each claim is a unique OutboxClaim). */
  attempts: number;
  /** Not sent before this instant: a retry's backoff. */
  nextAttemptAt: Date;
  /** Why the last attempt failed, or why the message was voided: a reason, never message content. */
  lastError?: string | null;
  sentAt?: Date | null;
  finishedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
export type OutboxMessageDocument = HydratedDocument<OutboxMessageFields>;

const OutboxParamsSchema = new Schema<OutboxParams>(
  {
    changedAt: Date,
    invitedAt: Date,
    fromEmail: { type: String, lowercase: true, trim: true, maxlength: 254 },
    toEmail: { type: String, lowercase: true, trim: true, maxlength: 254 },
    requestedBy: Schema.Types.ObjectId,
  },
  { _id: false },
);

/**
 * The outbox (`outboxmessages`): a message is written in the request that causes it, before the
 * change it announces; auth-api's sender checks that the change holds before it sends (see
 * docs/decisions.md "Mail"), so a crash neither loses a message nor sends one for nothing.
 */
export const OutboxMessageSchema = new Schema<OutboxMessageFields>(
  {
    template: { type: String, enum: MAIL_TEMPLATES, required: true },
    to: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    userId: { type: Schema.Types.ObjectId, ref: ModelName.User },
    params: { type: OutboxParamsSchema, default: undefined },
    status: { type: String, enum: OUTBOX_STATUSES, default: OutboxStatus.Pending, required: true },
    attempts: { type: Number, default: 0, min: 0 },
    nextAttemptAt: { type: Date, required: true, default: () => new Date() },
    lastError: { type: String, maxlength: 500 },
    sentAt: Date,
    finishedAt: Date,
  },
  sharedSchemaOptions({ collection: 'outboxmessages' }),
);

OutboxMessageSchema.index({ status: 1, nextAttemptAt: 1 }); // the sender: pending messages that are due, oldest first
OutboxMessageSchema.index({ to: 1, template: 1, createdAt: 1 }); // per-address hourly limits (forgot-password, resend)
OutboxMessageSchema.index({ userId: 1, createdAt: 1 }); // an admin's view of one user's mail
// Kept for admins, then removed (FerretDB v1 keeps it as a plain index: nothing depends on the expiry).
OutboxMessageSchema.index({ createdAt: 1 }, { expireAfterSeconds: OUTBOX_RETENTION_SECONDS });

export interface OutboxClaimFields {
  /** `<messageId>:<attempt>`: its unique index is what makes a claim exclusive on every backend. */
  key: string;
  messageId: Types.ObjectId;
  attempt: number;
  /** Which sender process holds it (host:pid:random). */
  sender: string;
  at: Date;
}

/**
 * One row per delivery attempt (`outboxclaims`). A sender may attempt a message only after
 * inserting its claim; the unique `key` lets exactly one of several replicas win, which a
 * conditional update cannot promise on FerretDB v1.
 */
export const OutboxClaimSchema = new Schema<OutboxClaimFields>(
  {
    key: { type: String, required: true, maxlength: 64 },
    messageId: { type: Schema.Types.ObjectId, required: true },
    attempt: { type: Number, required: true, min: 1 },
    sender: { type: String, required: true, maxlength: 200 },
    at: { type: Date, required: true },
  },
  sharedSchemaOptions({ collection: 'outboxclaims', timestamps: false }),
);
OutboxClaimSchema.index({ key: 1 }, { unique: true }); // claiming: one insert per (message, attempt) can win
OutboxClaimSchema.index({ at: 1 }, { expireAfterSeconds: OUTBOX_RETENTION_SECONDS }); // cleanup only
