import { Document, Schema, type HydratedDocument, type Model } from 'mongoose';
import { ModelName } from '../registry';
import { sharedSchemaOptions } from '../shared/schema-options';
import { USER_LIMITS, USER_ROLES, USER_STATUSES, UserRole, UserStatus } from './user.constants';
import { SECOND_FACTOR_TYPES } from '../event/event.constants';
import { USER_DERIVED_PATHS, userProfileKeys, userSignupKeys, type UserKeyInputs } from './user-keys';
import { recomputeUserKeysOnUpdate, refuseBulkKeyInputChanges, refuseReplace } from './user-update';
import type { UserFields, UserVirtuals } from './user.types';

/** Deliberately loose: one "@", no spaces, a dot in the domain. Deliverability is proven by use, not by regex. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const optionalText = (maxlength: number) => ({
  type: String,
  trim: true,
  maxlength,
});

export type UserModel = Model<UserFields, object, object, UserVirtuals>;
export type UserDocument = HydratedDocument<UserFields, UserVirtuals>;

export const UserSchema = new Schema<UserFields>(
  {
    email: {
      type: String,
      required: true,
      trim: true,
      lowercase: true,
      maxlength: USER_LIMITS.email,
      match: [EMAIL_PATTERN, 'Invalid email address'],
    },
    name: {
      first: {
        type: String,
        required: true,
        trim: true,
        maxlength: USER_LIMITS.name,
      },
      last: {
        type: String,
        required: true,
        trim: true,
        maxlength: USER_LIMITS.name,
      },
    },
    displayName: optionalText(USER_LIMITS.displayName),
    title: optionalText(USER_LIMITS.title),
    department: optionalText(USER_LIMITS.department),
    location: optionalText(USER_LIMITS.location),
    phone: optionalText(USER_LIMITS.phone),
    managerId: { type: Schema.Types.ObjectId, ref: ModelName.User },
    roles: {
      type: [{ type: String, enum: USER_ROLES }],
      default: () => [UserRole.Member],
      validate: {
        validator: (roles: string[]) => roles.length > 0 && new Set(roles).size === roles.length,
        message: 'roles must be a non-empty list without duplicates',
      },
    },
    status: {
      type: String,
      enum: USER_STATUSES,
      default: UserStatus.Active,
      required: true,
    },
    lastLoginAt: Date,
    tokensValidAfter: Date,
    emailVerifiedAt: Date,
    invitedAt: Date,
    invitedBy: { type: Schema.Types.ObjectId, ref: ModelName.User },
    // Written only by auth-api when a factor is confirmed, removed or reset: analytics and admins read it, never a secret.
    secondFactors: { type: [String], enum: SECOND_FACTOR_TYPES, default: undefined },

    // Derived keys: written by the middleware below, whatever a client sent (PRINCIPLES.md #3).
    // `required` only proves the middleware ran.
    searchKeys: { type: [String], default: undefined },
    searchPrefixes: { type: [String], default: undefined },
    sortName: { type: String, required: true },
    emailDomain: { type: String, required: true },
    signupDay: { type: String, required: true },
    signupWeek: { type: String, required: true },
    signupMonth: { type: String, required: true },
  },
  sharedSchemaOptions({
    collection: 'users',
    // A profile edit is a read-modify-write; a stale version must fail, not overwrite (PRINCIPLES.md #11).
    optimisticConcurrency: true,
    // tokensValidAfter is auth bookkeeping (when the user last revoked every token), not profile data.
    hidden: [...USER_DERIVED_PATHS, 'tokensValidAfter'],
  }),
);

UserSchema.virtual('fullName').get(function (this: Pick<UserFields, 'name'>): UserVirtuals['fullName'] {
  return `${this.name?.first ?? ''} ${this.name?.last ?? ''}`.trim();
});

// Indexes: each serves a query named beside it (every query path has one, ARCHITECTURE.md).
// No partial, sparse, collation or text indexes: FerretDB v1 has none of them.
UserSchema.index({ email: 1 }, { unique: true }); // login and registration: find by exact email; one account per email
UserSchema.index({ searchPrefixes: 1, sortName: 1, _id: 1 }); // GET /users?q=: equality on the prefix, already in (sortName, _id) order
UserSchema.index({ sortName: 1, _id: 1 }); // GET /users without q: directory browsing, cursor (sortName, _id)
UserSchema.index({ department: 1, sortName: 1, _id: 1 }); // GET /users?department=: one department in name order
UserSchema.index({ managerId: 1, sortName: 1, _id: 1 }); // GET /users/:id/reports: direct reports in name order
UserSchema.index({ roles: 1, sortName: 1, _id: 1 }); // GET /users?role=admin: the few admins in name order
UserSchema.index({ status: 1, sortName: 1, _id: 1 }); // GET /users?status= and counts per status (status prefix)
UserSchema.index({ createdAt: 1, _id: 1 }); // newest/oldest users and signups in a date range, cursor (createdAt, _id)
UserSchema.index({ signupWeek: 1 }); // /analytics/signups and cohort sizes: $match on a range of signup weeks
UserSchema.index({ lastLoginAt: 1 }); // active vs dormant users: $match lastLoginAt since / before an instant

/** What middleware sees: the document without its virtuals. */
type UserHookDocument = HydratedDocument<UserFields>;

function keyInputsOf(doc: UserHookDocument): UserKeyInputs {
  return {
    first: doc.name?.first,
    last: doc.name?.last,
    displayName: doc.displayName,
    email: doc.email,
  };
}

/** Recomputes every derived key from the document itself, so whatever a client set is overwritten. */
export function applyDerivedUserKeys(doc: UserHookDocument): void {
  // ($isValid: a createdAt that failed to cast must stay an error, not be replaced by now.)
  if (doc.isNew && !doc.createdAt && doc.$isValid('createdAt')) {
    // Timestamps set createdAt only after validation; set it now so the signup buckets
    // and createdAt are the same instant. A seed may backdate createdAt; buckets follow.
    doc.createdAt = new Date();
  }
  doc.set(userProfileKeys(keyInputsOf(doc)));
  if (doc.createdAt) doc.set(userSignupKeys(doc.createdAt));
}

/** Multi-field rules (PRINCIPLES.md #6): a path validator would only run when its own path changed. */
function assertUserRules(doc: UserHookDocument): void {
  if (doc.managerId && doc.managerId.equals(doc._id)) {
    doc.invalidate('managerId', 'A user cannot be their own manager', doc.managerId);
  }
}

UserSchema.pre('validate', function () {
  applyDerivedUserKeys(this);
  assertUserRules(this);
});
// A save skips pre('validate') only with `save({ validateBeforeSave: false })`; otherwise the
// keys are already computed (the prefixes are a few hundred strings, not worth building twice).
UserSchema.pre('save', function (options?: { validateBeforeSave?: boolean }) {
  if (options?.validateBeforeSave === false) applyDerivedUserKeys(this);
});

/** The same keys for a plain object, which insertMany({ lean: true }) writes without documents or validation. */
export function applyDerivedUserKeysToPlain(plain: Partial<UserFields>): void {
  plain.createdAt = plain.createdAt ? new Date(plain.createdAt) : new Date();
  plain.updatedAt ??= plain.createdAt;
  const { name, displayName, email } = plain;
  Object.assign(
    plain,
    userProfileKeys({
      first: name?.first,
      last: name?.last,
      displayName,
      email,
    }),
    userSignupKeys(plain.createdAt),
  );
}

UserSchema.pre('insertMany', function (docs: unknown) {
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    // Documents get their keys in pre('validate'); only plain objects need them here.
    if (doc && typeof doc === 'object' && !(doc instanceof Document)) applyDerivedUserKeysToPlain(doc);
  }
});

UserSchema.pre(['findOneAndUpdate', 'updateOne'], recomputeUserKeysOnUpdate);
UserSchema.pre('updateMany', refuseBulkKeyInputChanges);
UserSchema.pre(['replaceOne', 'findOneAndReplace'], refuseReplace);
