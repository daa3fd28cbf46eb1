import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ModelName, type UserFields } from '@directory/schemas';
import { Types, type Model } from 'mongoose';
import { notFound } from './directory.service';
import type { UpdateProfileDto } from './dto/update-profile.dto';
import { assertValidManager } from './manager-chain';
import { UserEvents } from './user-events.service';
import { visibleStatusFilter } from './user-filter';
import { toUserView, type LeanUser, type UserView } from './user-view';

const CLEARABLE = ['displayName', 'title', 'department', 'location', 'phone', 'managerId'] as const;

export interface ProfileChange {
  $set: Record<string, unknown>;
  $unset: Record<string, 1>;
  /** Dotted names of the fields the client sent, for the ProfileUpdated event. */
  fields: string[];
}

/**
 * Adds the optional text fields a client sent to an update: a value to `$set`, `null` or ''
 * to `$unset` (the field is cleared, not stored empty). Shared with the admin update.
 */
export function setOrClear<F extends string>(
  update: Pick<ProfileChange, '$set' | '$unset'>,
  body: Partial<Record<F, string | null>>,
  fields: readonly F[],
): void {
  for (const field of fields) {
    const value = body[field];
    if (value === undefined) continue;
    if (value === null || value === '') update.$unset[field] = 1;
    else update.$set[field] = value;
  }
}

/** The update document for a validated body: values to `$set`, `null`s to `$unset`. */
export function profileChange(body: UpdateProfileDto): ProfileChange {
  const change: ProfileChange = { $set: {}, $unset: {}, fields: [] };
  if (body.name?.first !== undefined) change.$set['name.first'] = body.name.first;
  if (body.name?.last !== undefined) change.$set['name.last'] = body.name.last;
  setOrClear(change, body, CLEARABLE);
  if (typeof change.$set['managerId'] === 'string') change.$set['managerId'] = new Types.ObjectId(change.$set['managerId']);
  change.fields = [...Object.keys(change.$set), ...Object.keys(change.$unset)].sort();
  return change;
}

export function versionConflict(): ConflictException {
  return new ConflictException({
    message: 'The profile was changed by someone else since you read it; GET it again and reapply your change',
    code: 'version_conflict',
  });
}

/**
 * Writes filtered by {_id, __v: the version the client read} with `$inc: {__v: 1}`: one
 * compare-and-set (PRINCIPLES.md #11). On MongoDB the single-document write is atomic, so
 * of two writers holding the same version exactly one matches; the other changes nothing
 * and gets 409. (FerretDB v1 evaluates filter and update non-atomically; see README.)
 */
export async function compareAndSet(
  users: Model<UserFields>,
  id: Types.ObjectId,
  version: number,
  update: { $set?: Record<string, unknown>; $unset?: Record<string, 1> },
  extraFilter: Record<string, unknown> = {},
): Promise<(LeanUser & { signupWeek: string }) | null> {
  const $set = update.$set ?? {};
  const $unset = update.$unset ?? {};
  return users
    .findOneAndUpdate(
      { _id: id, __v: version, ...extraFilter },
      { ...(Object.keys($set).length > 0 && { $set }), ...(Object.keys($unset).length > 0 && { $unset }), $inc: { __v: 1 } },
      // No projection: FerretDB v1 does not implement findAndModify's `fields`. The user
      // document is small and toUserView picks what the API shows.
      { returnDocument: 'after', runValidators: true },
    )
    .lean<LeanUser & { signupWeek: string }>()
    .exec();
}

/** PATCH /users/me. */
@Injectable()
export class ProfileService {
  constructor(
    @InjectModel(ModelName.User, 'fast') private readonly users: Model<UserFields>,
    private readonly events: UserEvents,
  ) {}

  async update(userId: string, version: number, body: UpdateProfileDto): Promise<UserView> {
    const id = new Types.ObjectId(userId);
    const change = profileChange(body);
    if (change.fields.length === 0) throw new BadRequestException({ message: 'Send at least one field to change', code: 'empty_update' });
    const managerId = change.$set['managerId'];
    if (managerId instanceof Types.ObjectId) await assertValidManager(this.users, id, managerId);

    const updated = await compareAndSet(this.users, id, version, change, visibleStatusFilter());
    if (!updated) {
      // Nothing matched: either the version is stale (409) or the account is gone (404).
      const exists = await this.users.exists({ _id: id, ...visibleStatusFilter() }).exec();
      throw exists ? versionConflict() : notFound();
    }
    await this.events.recordProfileUpdated({ _id: id, signupWeek: updated.signupWeek }, change.fields);
    return toUserView(updated);
  }
}
