import type { UserFields } from '@directory/schemas';
import { Types, type Model } from 'mongoose';

export interface SeedUser {
  first: string;
  last: string;
  displayName?: string;
  email?: string;
  department?: string;
  status?: UserFields['status'];
  roles?: UserFields['roles'];
  managerId?: Types.ObjectId;
  lastLoginAt?: Date;
}

const BATCH = 500;

/**
 * Inserts users straight into the collection in batches. `insertMany({ lean: true })` skips
 * hydration and validation, and the schema's pre('insertMany') hook still writes the derived
 * keys (searchKeys, sortName, signup buckets), so search sees them exactly as it would see
 * registered users. Returns the ids in input order.
 */
export async function seedUsers(users: Model<UserFields>, input: SeedUser[], tag = 'seed'): Promise<Types.ObjectId[]> {
  const ids: Types.ObjectId[] = [];
  for (let start = 0; start < input.length; start += BATCH) {
    const docs = input.slice(start, start + BATCH).map((user, offset) => {
      const _id = new Types.ObjectId();
      ids.push(_id);
      return {
        _id,
        email: user.email ?? `${tag}-${start + offset}-${_id.toHexString().slice(-6)}@example.com`,
        name: { first: user.first, last: user.last },
        ...(user.displayName !== undefined && { displayName: user.displayName }),
        ...(user.department !== undefined && { department: user.department }),
        ...(user.managerId !== undefined && { managerId: user.managerId }),
        ...(user.lastLoginAt !== undefined && { lastLoginAt: user.lastLoginAt }),
        roles: user.roles ?? ['member'],
        status: user.status ?? 'active',
        __v: 0,
      };
    });
    await users.insertMany(docs, { lean: true, ordered: false });
  }
  return ids;
}

/** `count` users with varied, colliding names (ties on sortName exercise the _id tie-break). */
export function manyUsers(count: number, overrides: Partial<SeedUser> = {}): SeedUser[] {
  const firsts = ['Ana', 'Bo', 'Chloé', 'Dmitri', 'Eve', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jürgen', 'Kai'];
  const lasts = ['Ng', 'Østergaard', 'Smith', 'Smith', 'Żak', 'Lee', 'García', 'Nuñez', 'Olsen', 'Park', 'Quinn', 'Rossi', 'Sato'];
  return Array.from({ length: count }, (_, i) => ({
    first: firsts[i % firsts.length],
    last: `${lasts[(i * 7) % lasts.length]}${i % 5 === 0 ? '' : String(Math.floor(i / 50))}`,
    ...overrides,
  }));
}
