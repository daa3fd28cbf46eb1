import { activityKeys, eventKeys, parseDayKey, type TimeBucketKeys } from '@directory/schemas';
import { deriveSeed, hashSeed, Prng } from '../shared/prng';
import { ADMIN_DEPARTMENTS, DEPARTMENTS } from './name-pool';
import { buildOrgTree, type OrgTree } from './org-tree';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Independent PRNG streams: drawing more for one purpose never shifts another's numbers. */
export const Stream = {
  Tree: 1,
  Signups: 2,
  Profile: 3,
  Activity: 4,
  Anonymous: 5,
  /** How an account came to be and proved its email (invitation, verification, their mails). */
  Lifecycle: 6,
} as const;

export interface SeedShape {
  users: number;
  days: number;
  /** Any text; hashed to 32 bits. */
  seed: string;
  /** Last seeded day, `YYYY-MM-DD` (UTC). Part of what the data is derived from, like the seed. */
  until: string;
}

/** Everything decided up front for the whole company; per-user details are drawn per user. */
export interface SeedPlan extends SeedShape {
  seedHash: number;
  /** UTC midnight of the first seeded day. */
  startMs: number;
  /** UTC midnight after `until`: nothing happens at or after it. */
  endMs: number;
  tree: OrgTree;
  /** Signup instant per user index, ascending. */
  signupAt: Float64Array;
  /** Ascending; the first is the admin whose email the CLI prints. */
  adminIndexes: number[];
  /** Buckets of each seeded day, computed once with the schema helpers (index = day offset). */
  dayKeys: TimeBucketKeys[];
}

/** Yesterday in UTC: the default last day, so no seeded instant lies in the future. */
export function defaultUntil(now = new Date()): string {
  return new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10);
}

export function buildSeedPlan(shape: SeedShape): SeedPlan {
  if (!Number.isInteger(shape.users) || shape.users < 1) throw new RangeError('--users must be a positive integer');
  if (!Number.isInteger(shape.days) || shape.days < 1) throw new RangeError('--days must be a positive integer');
  const seedHash = hashSeed(shape.seed);
  const endMs = parseDayKey(shape.until).getTime() + DAY_MS;
  const startMs = endMs - shape.days * DAY_MS;
  const tree = buildOrgTree(shape.users, new Prng(deriveSeed(seedHash, Stream.Tree)));
  const dayKeys = Array.from({ length: shape.days }, (_, d) => {
    const keys = eventKeys(new Date(startMs + d * DAY_MS));
    const rollup = activityKeys(keys.day);
    // Events and activities bucket a day the same way; if the helpers ever disagree, stop here.
    if (rollup.week !== keys.week || rollup.month !== keys.month) throw new Error(`bucket mismatch on ${keys.day}`);
    return keys;
  });
  return {
    ...shape,
    seedHash,
    startMs,
    endMs,
    tree,
    signupAt: signupInstants(shape.users, shape.days, startMs, new Prng(deriveSeed(seedHash, Stream.Signups))),
    adminIndexes: adminIndexes(tree),
    dayKeys,
  };
}

/**
 * Signups over the period: a launch wave (35% in the first week, everyone already employed
 * when the directory went live), then growth (density rising linearly, as hiring does).
 * Sorted, so user index order is signup order.
 */
function signupInstants(users: number, days: number, startMs: number, prng: Prng): Float64Array {
  const launchDays = Math.min(7, days);
  const instants = new Float64Array(users);
  for (let i = 0; i < users; i++) {
    const day = prng.chance(0.35) ? Math.floor(prng.float() * launchDays) : Math.floor(Math.sqrt(prng.float()) * days);
    instants[i] = startMs + day * DAY_MS + timeOfDay(prng);
  }
  return instants.sort();
}

/** Mostly office hours (UTC), some at any time: people work in several time zones. */
export function timeOfDay(prng: Prng): number {
  const hours = prng.chance(0.75) ? 7 + prng.float() * 12 : prng.float() * 24;
  return Math.floor(hours * 60 * 60 * 1000);
}

/**
 * A few admins: the heads of IT and People and the IT directors below them; the CEO only when
 * the company is too small to have those.
 */
function adminIndexes(tree: OrgTree): number[] {
  const admins: number[] = [];
  for (let i = 0; i < tree.size; i++) {
    const department = DEPARTMENTS[tree.department[i]]?.name;
    if (!department || !ADMIN_DEPARTMENTS.includes(department)) continue;
    const level = tree.level[i];
    if (level === 1 || (level === 2 && department === 'IT' && tree.reportCount[i] > 0)) admins.push(i);
  }
  return admins.length > 0 ? admins : [0];
}
