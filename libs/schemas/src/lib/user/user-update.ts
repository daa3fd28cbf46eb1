import mongoose, { type Query } from 'mongoose';
import {
  UnsupportedUpdateError,
  assignmentTo,
  asUpdateDocument,
  withSet,
  withoutPaths,
  type UpdateDocument,
} from '../shared/update-document';
import { USER_DERIVED_PATHS, USER_KEY_INPUT_PATHS, userProfileKeys, type UserKeyInputPath, type UserKeyInputs } from './user-keys';

export interface UserUpdatePlan {
  /** The update without any client-supplied derived key. */
  update: UpdateDocument;
  /** New values of the key inputs the update assigns (`null` = removed). */
  assigned: Partial<Record<UserKeyInputPath, string | null>>;
  /** Key inputs the update leaves as they are; needed from the stored document when `assigned` is not empty. */
  missing: UserKeyInputPath[];
}

function asText(value: unknown): string | null {
  if (value == null) return null;
  return typeof value === 'string' ? value : String(value);
}

/** Strips derived keys from an update and finds which key inputs it changes. Pure; see `recomputeUserKeysOnUpdate`. */
export function planUserUpdate(update: UpdateDocument): UserUpdatePlan {
  const stripped = withoutPaths(update, USER_DERIVED_PATHS);
  const assigned: UserUpdatePlan['assigned'] = {};
  const missing: UserKeyInputPath[] = [];
  for (const path of USER_KEY_INPUT_PATHS) {
    const assignment = assignmentTo(stripped, path);
    if (assignment.assigned) assigned[path] = asText(assignment.value);
    else missing.push(path);
  }
  return { update: stripped, assigned, missing };
}

export function hasKeyInputChanges(plan: UserUpdatePlan): boolean {
  return Object.keys(plan.assigned).length > 0;
}

/** Inputs as `userProfileKeys` wants them, from values by path. */
export function keyInputsFrom(values: Partial<Record<UserKeyInputPath, string | null>>): UserKeyInputs {
  return {
    first: values['name.first'],
    last: values['name.last'],
    displayName: values.displayName,
    email: values.email,
  };
}

/** The update plus a `$set` of the profile keys recomputed from the complete inputs. */
export function withUserProfileKeys(update: UpdateDocument, inputs: UserKeyInputs): UpdateDocument {
  return withSet(update, { ...userProfileKeys(inputs) });
}

interface StoredKeyInputs {
  _id: unknown;
  email?: string | null;
  displayName?: string | null;
  name?: { first?: string | null; last?: string | null } | null;
}

function storedValue(doc: StoredKeyInputs, path: UserKeyInputPath): string | null {
  switch (path) {
    case 'name.first':
      return doc.name?.first ?? null;
    case 'name.last':
      return doc.name?.last ?? null;
    case 'displayName':
      return doc.displayName ?? null;
    case 'email':
      return doc.email ?? null;
  }
}

/**
 * Query middleware for `findOneAndUpdate` and `updateOne`: derived keys are dropped from
 * the update and, when it changes a name, the display name or the email, recomputed.
 *
 * Keys depend on several inputs (sortName on first AND last), so an update that changes
 * only some of them reads the others from the stored document first. To keep that read
 * and the write consistent, the write is then pinned to the document read (`_id`) AND to
 * the input values read: if a concurrent write changed them in between, this write
 * matches nothing (null / matchedCount 0) instead of storing keys computed from stale
 * names. Profile edits are compare-and-set updates on the version (UsersRepository);
 * this is what keeps their derived keys right, and every other writer's. (`bulkWrite` and the raw driver bypass all
 * middleware: writers there compute keys with `userProfileKeys`/`userSignupKeys`.)
 */
export async function recomputeUserKeysOnUpdate(this: Query<unknown, unknown>): Promise<void> {
  const update = asUpdateDocument(this.getUpdate(), 'users');
  if (!update) return;
  const plan = planUserUpdate(update);
  if (!hasKeyInputChanges(plan)) {
    this.setUpdate(plan.update);
    return;
  }
  if (this.getOptions().upsert) {
    throw new UnsupportedUpdateError('Users are created with save()/create(), not upserts, so their signup keys are computed');
  }
  const values = { ...plan.assigned };
  if (plan.missing.length > 0) {
    const options = this.getOptions();
    const stored = (await this.model.findOne(
      { ...this.getFilter() },
      { email: 1, displayName: 1, name: 1 },
      {
        sort: options.sort,
        session: options.session,
        lean: true,
      },
    )) as StoredKeyInputs | null;
    if (!stored) {
      // Nothing matched when we looked: keep it that way rather than let a document
      // inserted meanwhile be written without keys. `trusted`: connections run with
      // sanitizeFilter, which would turn this operator into a literal (a cast error, not "none").
      this.and([{ _id: mongoose.trusted({ $in: [] }) }]);
      this.setUpdate(plan.update);
      return;
    }
    const pin: Record<string, unknown> = { _id: stored._id };
    for (const path of plan.missing) {
      values[path] = storedValue(stored, path);
      pin[path] = values[path]; // null also matches a missing field
    }
    this.and([pin]);
  }
  this.setUpdate(withUserProfileKeys(plan.update, keyInputsFrom(values)));
}

/**
 * Query middleware for `updateMany`: derived keys are dropped; a bulk change of names or
 * emails is refused, because each document would need its own keys.
 */
export function refuseBulkKeyInputChanges(this: Query<unknown, unknown>): void {
  const update = asUpdateDocument(this.getUpdate(), 'users');
  if (!update) return;
  const plan = planUserUpdate(update);
  if (hasKeyInputChanges(plan)) {
    throw new UnsupportedUpdateError('updateMany cannot change user names or emails; update each user with save()');
  }
  this.setUpdate(plan.update);
}

/** Query middleware for replaceOne/findOneAndReplace: a replacement would drop the derived keys. */
export function refuseReplace(): void {
  throw new UnsupportedUpdateError('Replacing users is not supported: use save() so middleware computes derived keys');
}
