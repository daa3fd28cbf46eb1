import { BadRequestException, Injectable } from '@nestjs/common';
import { toUserView, UsersRepository, visibleStatusFilter, type UserView } from '@directory/data-access';
import { Types } from 'mongoose';
import { userNotFound, UsersErrorCode, versionConflict } from '../common/errors';
import { setOrClear, type SetAndUnset } from '../common/set-or-clear';
import { AuditTrail } from '../audit/audit-trail.service';
import type { UpdateProfileDto } from './dto/update-profile.dto';
import { assertValidManager } from './manager-chain';

const CLEARABLE = ['displayName', 'title', 'department', 'location', 'phone', 'managerId'] as const;

export interface ProfileChange extends SetAndUnset {
  /** Dotted names of the fields the client sent, for the ProfileUpdated event. */
  fields: string[];
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

/** PATCH /users/me: one compare-and-set on the version the client read (If-Match). */
@Injectable()
export class ProfileService {
  constructor(
    private readonly users: UsersRepository,
    private readonly trail: AuditTrail,
  ) {}

  async update(userId: string, version: number, body: UpdateProfileDto): Promise<UserView> {
    const id = new Types.ObjectId(userId);
    const change = profileChange(body);
    if (change.fields.length === 0)
      throw new BadRequestException({ message: 'Send at least one field to change', code: UsersErrorCode.EmptyUpdate });
    const managerId = change.$set['managerId'];
    if (managerId instanceof Types.ObjectId) await assertValidManager(this.users, id, managerId);

    const updated = await this.users.compareAndSet(id, version, change, visibleStatusFilter());
    if (!updated) {
      // Nothing matched: either the version is stale (409) or the account is gone (404).
      throw (await this.users.existsVisible(id)) ? versionConflict() : userNotFound();
    }
    await this.trail.recordProfileUpdated({ _id: id, signupWeek: updated.signupWeek }, change.fields);
    return toUserView(updated);
  }
}
