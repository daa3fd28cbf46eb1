import { itRequiresMongo } from '@directory/testing';
import { Types } from 'mongoose';
import { decodeNameCursor, encodeNameCursor } from '../src/app/common/page-cursor';
import { afterNameCursor, NAME_ORDER, USER_VIEW_PROJECTION, visibleStatusFilter, type UserFilter } from '@directory/data-access';
import { userFilter } from '../src/app/directory/user-filter';
import { seedUsers, type SeedUser } from './support/seed-users';
import { startUsersApi, type UsersTestContext } from './support/users-test-app';

const LIMIT = 20;
const admin = { id: new Types.ObjectId().toHexString(), admin: true };

interface PlanStage {
  stage: string;
  indexName?: string;
  inputStage?: PlanStage;
  inputStages?: PlanStage[];
}
interface ExecutionStats {
  totalKeysExamined: number;
  totalDocsExamined: number;
  nReturned: number;
}

/** Every stage of a plan tree, the way explain() nests them. */
function stages(plan: PlanStage | undefined): PlanStage[] {
  if (!plan) return [];
  return [plan, ...stages(plan.inputStage), ...(plan.inputStages ?? []).flatMap(stages)];
}

/** The stages of the winning plan (queryPlanner.winningPlan, or its queryPlan on SBE). */
function winningStages(explain: Record<string, unknown>): PlanStage[] {
  const planner = explain['queryPlanner'] as {
    winningPlan: PlanStage & { queryPlan?: PlanStage };
  };
  return stages(planner.winningPlan.queryPlan ?? planner.winningPlan);
}

/**
 * ARCHITECTURE.md: every query path has an index, and explain() on real MongoDB shows it.
 * The queries are built by the same functions the service uses.
 */
describe('query plans (explain) of search, reports and the version-checked update', () => {
  let ctx: UsersTestContext;
  let manager: Types.ObjectId;

  beforeAll(async () => {
    ctx = await startUsersApi();
    // autoIndex builds in the background after start-up; wait for it before asking about indexes or plans.
    await Promise.all([ctx.users.init(), ctx.connection.model('Event').init()]);
  });

  afterAll(() => ctx?.close());

  it('the indexes these plans rely on exist on every backend', async () => {
    const names = (await ctx.users.listIndexes()).map((index) => index.name);
    expect(names).toEqual(
      expect.arrayContaining([
        '_id_',
        'searchPrefixes_1_sortName_1__id_1',
        'sortName_1__id_1',
        'department_1_sortName_1__id_1',
        'managerId_1_sortName_1__id_1',
        'roles_1_sortName_1__id_1',
        'status_1_sortName_1__id_1',
        'lastLoginAt_1',
      ]),
    );
    const events = (await ctx.connection.model('Event').listIndexes()).map((index) => index.name);
    expect(events).toContain('userId_1_at_-1__id_-1');
  });

  describe('on real MongoDB', () => {
    beforeAll(async () => {
      // Distinct names: a row that ties on sortName with the cursor row costs one more key
      // (the inclusive start bound), and these plans are asserted to the key.
      const distinct = (count: number, tag: string, overrides: Partial<SeedUser>): SeedUser[] =>
        Array.from({ length: count }, (_, i) => ({
          first: `${tag}${i}`,
          last: i % 20 === 0 ? `Smith${tag}${i}` : `Jones${tag}${i}`,
          ...overrides,
        }));
      await seedUsers(ctx.users, distinct(1_000, 'p', { department: 'Plans' }), 'plans');
      [manager] = await seedUsers(ctx.users, [{ first: 'Plan', last: 'Manager' }], 'manager');
      await seedUsers(ctx.users, distinct(200, 'r', { managerId: manager }), 'reports');
      await seedUsers(ctx.users, distinct(300, 'e', { department: 'Elsewhere' }), 'elsewhere');
    });

    async function explainPage(filter: UserFilter): Promise<{
      stats: ExecutionStats;
      plan: PlanStage[];
      rows: Array<{ _id: Types.ObjectId; sortName: string }>;
    }> {
      const query = () => ctx.users.find(filter, USER_VIEW_PROJECTION).sort(NAME_ORDER).limit(LIMIT);
      const explain = (await query().explain('executionStats')) as unknown as Record<string, unknown>;
      const rows = (await query().lean()) as Array<{
        _id: Types.ObjectId;
        sortName: string;
      }>;
      return {
        stats: explain['executionStats'] as ExecutionStats,
        plan: winningStages(explain),
        rows,
      };
    }

    /** Page 1 and page 3 of a list: IXSCAN on `index`, no COLLSCAN, no in-memory SORT, ≤ limit + 1 keys. */
    async function expectTightPages(filter: UserFilter, index: string): Promise<void> {
      let positioned = filter;
      for (let page = 1; page <= 3; page += 1) {
        const { stats, plan, rows } = await explainPage(positioned);
        expect(plan.map((s) => s.stage)).not.toContain('COLLSCAN');
        expect(plan.map((s) => s.stage)).not.toContain('SORT');
        expect(plan.filter((s) => s.stage === 'IXSCAN').map((s) => s.indexName)).toContain(index);
        expect(stats.nReturned).toBe(LIMIT);
        expect(stats.totalKeysExamined).toBeLessThanOrEqual(LIMIT + 1);
        positioned = afterNameCursor(filter, decodeNameCursor(encodeNameCursor(rows[rows.length - 1])));
      }
    }

    itRequiresMongo(
      'reports: IXSCAN {managerId, sortName, _id}, at most limit + 1 keys per page',
      'explain() output of real MongoDB',
      async () => {
        await expectTightPages({ managerId: manager, ...visibleStatusFilter() }, 'managerId_1_sortName_1__id_1');
      },
    );

    itRequiresMongo(
      'department browse: IXSCAN {department, sortName, _id}, at most limit + 1 keys per page',
      'explain() output of real MongoDB',
      async () => {
        await expectTightPages(userFilter({ department: 'Plans' }, admin), 'department_1_sortName_1__id_1');
      },
    );

    itRequiresMongo(
      'search q: IXSCAN {searchPrefixes, sortName, _id}, no SORT, at most limit + 1 keys per page',
      'explain() output of real MongoDB',
      async () => {
        await expectTightPages(userFilter({ q: 'smith' }, admin), 'searchPrefixes_1_sortName_1__id_1');
        // Longer than the stored prefixes: the same index bounds, the rest checked on the document.
        const long = await explainPage(userFilter({ q: 'plan manager number' }, admin));
        expect(long.plan.map((s) => s.stage)).not.toContain('COLLSCAN');
        expect(long.plan.filter((s) => s.stage === 'IXSCAN').map((s) => s.indexName)).toContain('searchPrefixes_1_sortName_1__id_1');
      },
    );

    itRequiresMongo('the version-checked update: one IXSCAN key on _id', 'explain() of an update command on real MongoDB', async () => {
      const target = await ctx.users.findOne({ department: 'Plans' }, { _id: 1, __v: 1 }).lean().orFail();
      const db = ctx.connection.db;
      if (!db) throw new Error('no database handle');
      const explain = (await db.command({
        explain: {
          update: 'users',
          updates: [
            {
              q: { _id: target._id, __v: target.__v },
              u: { $set: { title: 'Explained' }, $inc: { __v: 1 } },
            },
          ],
        },
        verbosity: 'executionStats',
      })) as Record<string, unknown>;
      const plan = winningStages(explain).map((s) => s.stage);
      expect(plan).not.toContain('COLLSCAN');
      expect(
        plan.some((stage) => stage === 'IXSCAN' || stage === 'IDHACK' || stage === 'EXPRESS_IXSCAN' || stage === 'EXPRESS_UPDATE'),
      ).toBe(true);
      expect((explain['executionStats'] as ExecutionStats).totalKeysExamined).toBeLessThanOrEqual(1);
      // explain never writes.
      expect((await ctx.users.findById(target._id, { title: 1 }).lean().orFail()).title).toBeUndefined();
    });
  });
});
