import { Schema, type HydratedDocument } from 'mongoose';
import type { DiscriminatorRegistration } from '../registry';
import { SHA256_HEX_PATTERN } from '../shared/patterns';
import { MAIL_TEMPLATES } from '../mail/mail.constants';
import { USER_ROLES, USER_STATUSES } from '../user/user.constants';
import { EventKind, LOGIN_FAILURE_REASONS, LoginFailureReason, SECOND_FACTOR_TYPES } from './event.constants';
import type {
  LoginFailedFields,
  LoginSucceededFields,
  ProfileUpdatedFields,
  RoleChangedFields,
  StatusChangedFields,
  UserRegisteredFields,
  UserSearchedFields,
  MailRequestedFields,
  MailSentFields,
  MailFailedFields,
  UserInvitedFields,
  FactorsResetFields,
  SessionsEndedFields,
} from './event.types';

// Discriminator schemas take no options: Mongoose gives them the base schema's
// (collection, discriminatorKey, toJSON, strictQuery).

/** A field name such as "displayName" or "name.first": a name cannot smuggle a value in. */
const FIELD_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

export const UserRegisteredSchema = new Schema<UserRegisteredFields>({});

export const LoginSucceededSchema = new Schema<LoginSucceededFields>({});

/**
 * For `unknown_email` there is no real user, so userId and cohortWeek are optional for
 * that reason only (see `isAnonymousEvent`); `emailHash` keeps attempts on one address
 * countable without storing the address.
 */
export const LoginFailedSchema = new Schema<LoginFailedFields>({
  reason: { type: String, enum: LOGIN_FAILURE_REASONS, required: true },
  emailHash: { type: String, match: SHA256_HEX_PATTERN },
});
LoginFailedSchema.pre('validate', function () {
  // Multi-field rule (PRINCIPLES.md #6): an unknown email has no user to point at.
  if (this.reason === LoginFailureReason.UnknownEmail && this.userId) {
    this.invalidate('userId', 'A login failure for an unknown email has no user', this.userId);
  }
});

export const ProfileUpdatedSchema = new Schema<ProfileUpdatedFields>({
  fields: {
    type: [{ type: String, match: FIELD_NAME_PATTERN, maxlength: 64 }],
    validate: {
      validator: (fields: string[]) => fields.length > 0,
      message: 'fields lists at least one field name',
    },
  },
  by: { type: Schema.Types.ObjectId },
});

export const RoleChangedSchema = new Schema<RoleChangedFields>({
  from: { type: [{ type: String, enum: USER_ROLES }], required: true },
  to: { type: [{ type: String, enum: USER_ROLES }], required: true },
  by: { type: Schema.Types.ObjectId, required: true },
});

export const StatusChangedSchema = new Schema<StatusChangedFields>({
  from: { type: String, enum: USER_STATUSES, required: true },
  to: { type: String, enum: USER_STATUSES, required: true },
  by: { type: Schema.Types.ObjectId, required: true },
});

export const UserSearchedSchema = new Schema<UserSearchedFields>({
  queryHash: { type: String, match: SHA256_HEX_PATTERN },
  resultCount: { type: Number, required: true, min: 0 },
});

const template = { type: String, enum: MAIL_TEMPLATES, required: true };

export const MailRequestedSchema = new Schema<MailRequestedFields>({
  template,
  emailHash: { type: String, match: SHA256_HEX_PATTERN },
});

export const MailSentSchema = new Schema<MailSentFields>({
  template,
  attempts: { type: Number, required: true, min: 1 },
});

export const MailFailedSchema = new Schema<MailFailedFields>({
  template,
  reason: { type: String, required: true, maxlength: 500 },
});

export const UserInvitedSchema = new Schema<UserInvitedFields>({
  by: { type: Schema.Types.ObjectId, required: true },
});

/** FactorEnrolled, FactorUsed, FactorFailed, FactorRemoved: which kind of factor. */
const factorEvent = () => new Schema({ factorType: { type: String, enum: SECOND_FACTOR_TYPES, required: true } });

export const FactorsResetSchema = new Schema<FactorsResetFields>({
  by: { type: Schema.Types.ObjectId, required: true },
});

export const SessionsEndedSchema = new Schema<SessionsEndedFields>({
  by: { type: Schema.Types.ObjectId, required: true },
  count: { type: Number, required: true, min: 0 },
});

/** Kinds whose subject and instant say everything. */
const bareEvent = () => new Schema({});

export type LoginFailedDocument = HydratedDocument<LoginFailedFields>;

/** Every event kind with its schema; the name is both the discriminator value and the model name. */
export const EVENT_DISCRIMINATORS: readonly DiscriminatorRegistration[] = [
  { name: EventKind.UserRegistered, schema: UserRegisteredSchema },
  { name: EventKind.LoginSucceeded, schema: LoginSucceededSchema },
  { name: EventKind.LoginFailed, schema: LoginFailedSchema },
  { name: EventKind.ProfileUpdated, schema: ProfileUpdatedSchema },
  { name: EventKind.RoleChanged, schema: RoleChangedSchema },
  { name: EventKind.StatusChanged, schema: StatusChangedSchema },
  { name: EventKind.UserSearched, schema: UserSearchedSchema },
  { name: EventKind.MailRequested, schema: MailRequestedSchema },
  { name: EventKind.MailSent, schema: MailSentSchema },
  { name: EventKind.MailFailed, schema: MailFailedSchema },
  { name: EventKind.EmailVerified, schema: bareEvent() },
  { name: EventKind.PasswordReset, schema: bareEvent() },
  { name: EventKind.UserInvited, schema: UserInvitedSchema },
  { name: EventKind.InvitationAccepted, schema: bareEvent() },
  { name: EventKind.EmailChanged, schema: bareEvent() },
  { name: EventKind.FactorEnrolled, schema: factorEvent() },
  { name: EventKind.FactorUsed, schema: factorEvent() },
  { name: EventKind.FactorFailed, schema: factorEvent() },
  { name: EventKind.FactorRemoved, schema: factorEvent() },
  { name: EventKind.FactorsReset, schema: FactorsResetSchema },
  { name: EventKind.SessionsEnded, schema: SessionsEndedSchema },
];
