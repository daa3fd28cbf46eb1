import { UserStatus } from '@directory/schemas';
import mongoose from 'mongoose';
import { manyUsers, seedUsers } from './support/seed-users';
import { startUsersApi, type RegisteredUser, type UsersTestContext } from './support/users-test-app';

interface Item {
  id: string;
}

/** The full directory as the API must order it: (sortName, _id), read straight from the database. */
async function expectedOrder(ctx: UsersTestContext, filter: Record<string, unknown> = {}): Promise<string[]> {
  const rows = await ctx.users
    .find({ ...filter, status: mongoose.trusted({ $ne: UserStatus.Deleted }) }, { _id: 1 })
    .sort({ sortName: 1, _id: 1 })
    .lean();
  return rows.map((row) => row._id.toHexString());
}

describe('GET /users cursor pagination over a 1,000-user directory', () => {
  let ctx: UsersTestContext;
  let member: RegisteredUser;

  beforeAll(async () => {
    ctx = await startUsersApi();
    member = await ctx.auth.register({ name: { first: 'Walker', last: 'Pages' } });
    // Many exact sortName ties (same first + last), so the _id tie-break is exercised on page edges.
    await seedUsers(ctx.users, manyUsers(999), 'page');
  });

  afterAll(() => ctx?.close());

  async function walk(params: string, between?: (page: number) => Promise<void>): Promise<string[]> {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 1000; page += 1) {
      const cursor: string = after ? `&after=${after}` : '';
      const res = await ctx.as(member.accessToken).get(`/users?${params}${cursor}`).expect(200);
      const items = res.body.items as Item[];
      seen.push(...items.map((item) => item.id));
      after = res.body.nextCursor;
      if (!after) {
        // Only a short page ends the walk (a full last page is followed by one empty page).
        expect(items.length).toBeLessThan(37);
        break;
      }
      expect(items).toHaveLength(37);
      await between?.(page);
    }
    return seen;
  }

  it('limit=37: the pages concatenated are exactly the full sorted list, no duplicates, no gaps', async () => {
    const expected = await expectedOrder(ctx);
    expect(expected).toHaveLength(1000);
    const seen = await walk('limit=37');
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expected);
  });

  it('the same holds for a prefix search', async () => {
    const expected = await expectedOrder(ctx, { searchPrefixes: 'smith' });
    expect(expected.length).toBeGreaterThan(37 * 3);
    expect(await walk('limit=37&q=SMITH')).toEqual(expected);
  });

  it('users inserted between page requests never duplicate or skip a user already behind the cursor', async () => {
    const before = await expectedOrder(ctx);
    let inserted = 0;
    const seen = await walk('limit=37', async (page) => {
      // Names that sort before, among and after the current position.
      await seedUsers(
        ctx.users,
        [
          { first: 'Aaron', last: 'Aardvark' },
          { first: 'Ana', last: 'Smith' },
          { first: 'Zed', last: 'Zzyzx' },
        ],
        `between-${page}`,
      );
      inserted += 3;
    });
    expect(new Set(seen).size).toBe(seen.length);
    // Everyone who existed at the start is listed exactly once, in order...
    const original = new Set(before);
    expect(seen.filter((id) => original.has(id))).toEqual(before);
    // ...and whatever else appeared is in the right order too (only new users at or after the cursor).
    const after = await expectedOrder(ctx);
    expect(after).toHaveLength(1000 + inserted);
    const position = new Map(after.map((id, index) => [id, index]));
    const positions = seen.map((id) => position.get(id) ?? -1);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });
});
