import type { Connection } from 'mongoose';
import { ModelName, UserRole, UserStatus } from '@directory/schemas';
import { rawCollection } from '../shared/batch-insert';
import { silentProgress, type Progress } from '../shared/progress';
import { defaultUntil } from './seed-plan';
import { DEFAULT_PASSWORD, seedDatabase, type Argon2Parameters, type SeedResult } from './seed-run';

/** What `npm start` seeds into an empty database: small enough to take a few seconds. */
export const DEMO_SHAPE = { users: 200, days: 30, seed: 'demo' } as const;

export interface DemoDirectory {
  /** Set when this call seeded (the database had no users). */
  seeded?: SeedResult;
  /** The first active admin, for the dashboard login; undefined if someone removed them all. */
  adminEmail?: string;
  /** The password every seeded user got (the documented development password). */
  password: string;
}

export interface DemoOptions {
  until?: string;
  argon2?: Argon2Parameters;
  progress?: Progress;
  /** Called before seeding, so the caller can say why the first start takes longer. */
  onFirstStart?: () => void;
}

/**
 * Seeds the demo directory when the users collection is empty (first start), and in every case
 * finds the admin to print. Never seeds next to existing users: a database somebody has used,
 * or imported into, stays as it is.
 */
export async function ensureDemoDirectory(connection: Connection, options: DemoOptions = {}): Promise<DemoDirectory> {
  const users = rawCollection<{ email: string }>(connection, ModelName.User);
  let seeded: SeedResult | undefined;
  // One indexed probe rather than a count: "is there anyone" is all we need to know.
  if (!(await users.findOne({}, { projection: { _id: 1 } }))) {
    options.onFirstStart?.();
    seeded = await seedDatabase(connection, {
      ...DEMO_SHAPE,
      until: options.until ?? defaultUntil(),
      password: DEFAULT_PASSWORD,
      ...(options.argon2 && { argon2: options.argon2 }),
      progress: options.progress ?? silentProgress,
    });
  }
  // The seed's first admin is its earliest-signed-up admin; on later starts the same query finds
  // them again (roles index; a handful of admins to sort).
  const admin = await users.findOne(
    { roles: UserRole.Admin, status: UserStatus.Active },
    { projection: { email: 1 }, sort: { createdAt: 1, _id: 1 } },
  );
  return { ...(seeded && { seeded }), ...(admin && { adminEmail: admin.email }), password: DEFAULT_PASSWORD };
}
