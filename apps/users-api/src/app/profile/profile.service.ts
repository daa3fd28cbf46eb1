import { BadRequestException, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { OutboxRepository, toUserView, UsersRepository, visibleStatusFilter, type UserView } from '@directory/data-access';
import { MailTemplate, UserStatus } from '@directory/schemas';
import { Types } from 'mongoose';
import { emailTaken, userNotFound, UsersErrorCode, versionConflict } from '../common/errors';
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

/** Confirmation links one address may be sent per hour by email-change requests (someone else's inbox is not a target). */
export const EMAIL_CHANGE_MAILS_PER_HOUR = 5;

/** The profile after PATCH /users/me, and the new address a confirmation link went to, if one did. */
export type ProfileUpdate = UserView & { pendingEmail?: string };

/**
 * PATCH /users/me: one compare-and-set on the version the client read (If-Match). A new
 * `email` is not written: after the compare-and-set (which also makes two requests on one
 * version send one pair of mails), the new address is mailed a confirmation link and the old
 * one a notice, through the outbox; auth-api applies the change when the link is used.
 */
@Injectable()
export class ProfileService {
  constructor(
    private readonly users: UsersRepository,
    private readonly outbox: OutboxRepository,
    private readonly trail: AuditTrail,
  ) {}

  async update(userId: string, version: number, body: UpdateProfileDto): Promise<ProfileUpdate> {
    const id = new Types.ObjectId(userId);
    const change = profileChange(body);
    const newEmail = body.email === undefined ? undefined : await this.emailChange(id, body.email);
    if (change.fields.length === 0 && !newEmail)
      throw new BadRequestException({ message: 'Send at least one field to change', code: UsersErrorCode.EmptyUpdate });
    const managerId = change.$set['managerId'];
    if (managerId instanceof Types.ObjectId) await assertValidManager(this.users, id, managerId);

    const updated = await this.users.compareAndSet(id, version, change, visibleStatusFilter());
    if (!updated) {
      // Nothing matched: either the version is stale (409) or the account is gone (404).
      throw (await this.users.existsVisible(id)) ? versionConflict() : userNotFound();
    }
    const subject = { _id: id, signupWeek: updated.signupWeek };
    if (change.fields.length > 0) await this.trail.recordProfileUpdated(subject, change.fields);
    if (!newEmail) return toUserView(updated);

    const now = new Date();
    const fromEmail = updated.email;
    await this.outbox.enqueue({ template: MailTemplate.EmailChangeConfirmation, to: newEmail, userId: id, params: { fromEmail } }, now);
    await this.outbox.enqueue(
      { template: MailTemplate.EmailChangeNotice, to: fromEmail, userId: id, params: { fromEmail, toEmail: newEmail } },
      now,
    );
    await this.trail.recordMailRequested(subject, MailTemplate.EmailChangeConfirmation, now);
    await this.trail.recordMailRequested(subject, MailTemplate.EmailChangeNotice, now);
    return { ...toUserView(updated), pendingEmail: newEmail };
  }

  /**
   * The new address `email` asks for, or undefined when it is the current one. 409 when an
   * account has it (checked again when the link is used); 429 past the hourly limit per address.
   */
  private async emailChange(id: Types.ObjectId, email: string): Promise<string | undefined> {
    const wanted = email.trim().toLowerCase();
    const user = await this.users.mailState(id);
    if (!user || user.status !== UserStatus.Active) throw userNotFound();
    if (user.email === wanted) return undefined;
    if (await this.users.findForLogin(wanted)) throw emailTaken();
    const since = new Date(Date.now() - 3_600_000);
    if ((await this.outbox.countSince(wanted, MailTemplate.EmailChangeConfirmation, since)) >= EMAIL_CHANGE_MAILS_PER_HOUR) {
      throw new HttpException(
        { message: 'Too many confirmation links to this address in the last hour; try again later', code: UsersErrorCode.TooManyRequests },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    return wanted;
  }
}
