import { BadRequestException } from '@nestjs/common';
import type { UsersRepository } from '@directory/data-access';
import { UserStatus } from '@directory/schemas';
import type { Types } from 'mongoose';
import { UsersErrorCode } from '../common/errors';

/** Deeper than any real org chart; a longer chain is refused rather than walked forever. */
export const MAX_MANAGER_CHAIN = 64;

function invalidManager(message: string): BadRequestException {
  return new BadRequestException({ message, code: UsersErrorCode.InvalidManager });
}

/**
 * Refuses a manager that does not exist (or is deleted) or whose own chain of managers
 * leads back to `userId` (A manages B manages A). Walks up one `_id` lookup per level
 * (the primary-key index, a one-field projection); $graphLookup would do it in one round
 * trip but FerretDB v1 has no $graphLookup. A concurrent change elsewhere in the chain
 * can still race this check; the chain read here is the one the write is based on.
 */
export async function assertValidManager(users: UsersRepository, userId: Types.ObjectId, managerId: Types.ObjectId): Promise<void> {
  if (managerId.equals(userId)) throw invalidManager('A user cannot be their own manager');
  let current: Types.ObjectId | null | undefined = managerId;
  for (let depth = 0; current; depth += 1) {
    if (depth >= MAX_MANAGER_CHAIN) throw invalidManager(`The manager chain is longer than ${MAX_MANAGER_CHAIN} levels`);
    const manager = await users.managerLink(current);
    if (!manager) {
      if (depth === 0) throw invalidManager('managerId names no user');
      return; // a dangling link higher up ends the chain; it cannot lead back to us
    }
    if (depth === 0 && manager.status === UserStatus.Deleted) throw invalidManager('managerId names a deleted user');
    if (manager.managerId?.equals(userId)) throw invalidManager('This manager would create a reporting cycle');
    current = manager.managerId;
  }
}
