import { EventKind, ModelName } from '@directory/schemas';
import { Types, type Connection } from 'mongoose';

/**
 * Users, login events and activity rollups with known instants around the awkward edges:
 * 2026-12-31 and 2027-01-01 (both in ISO week 2026-W53), 2026-12-27/28 (W52 → W53),
 * month ends, and the leap day 2028-02-29. Written through the compiled models, so the
 * middleware writes the derived keys as in production. A tiny deterministic generator adds
 * volume between the hand-picked instants.
 */

const DEPARTMENTS = ['Engineering', 'Engineering', 'Engineering', 'Sales', 'Sales', 'Marketing', 'Support', 'Finance', 'HR', undefined];
const DOMAINS = ['example.com', 'example.com', 'acme.io', 'globex.com', 'initech.org'];
type Reason = 'bad_password' | 'locked' | 'unknown_email';

/** Deterministic PRNG (mulberry32), so every run seeds the same data. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const at = (iso: string) => new Date(iso);

interface UserSeed {
  createdAt: Date;
  department?: string;
  domain: string;
  roles: string[];
  status: string;
}

const HAND_PICKED_USERS: UserSeed[] = [
  { createdAt: at('2026-12-27T23:59:59.999Z'), department: 'HR', domain: 'example.com', roles: ['member'], status: 'active' },
  { createdAt: at('2026-12-28T00:00:00.000Z'), department: 'Engineering', domain: 'example.com', roles: ['member'], status: 'active' },
  { createdAt: at('2026-12-31T23:59:59.999Z'), department: 'Engineering', domain: 'acme.io', roles: ['member'], status: 'active' },
  { createdAt: at('2027-01-01T00:00:00.000Z'), department: 'Sales', domain: 'example.com', roles: ['member', 'admin'], status: 'active' },
  { createdAt: at('2027-01-03T12:00:00.000Z'), department: 'Sales', domain: 'globex.com', roles: ['member'], status: 'suspended' },
  { createdAt: at('2027-01-04T00:00:00.000Z'), department: 'Marketing', domain: 'example.com', roles: ['member'], status: 'deleted' },
  { createdAt: at('2027-01-10T23:59:59.999Z'), domain: 'acme.io', roles: ['member'], status: 'active' },
  { createdAt: at('2027-01-31T23:59:59.999Z'), department: 'Engineering', domain: 'example.com', roles: ['member'], status: 'active' },
  { createdAt: at('2027-02-01T00:00:00.000Z'), department: 'Support', domain: 'globex.com', roles: ['member'], status: 'active' },
  { createdAt: at('2028-02-28T23:00:00.000Z'), department: 'Engineering', domain: 'example.com', roles: ['member'], status: 'active' },
  { createdAt: at('2028-02-29T00:00:00.000Z'), department: 'Finance', domain: 'initech.org', roles: ['member'], status: 'active' },
  { createdAt: at('2028-02-29T23:59:59.999Z'), department: 'Finance', domain: 'example.com', roles: ['member', 'admin'], status: 'active' },
  { createdAt: at('2028-03-01T00:00:00.000Z'), department: 'Engineering', domain: 'acme.io', roles: ['member'], status: 'active' },
];

/** Instants spread over [start, start + days). */
function spread(random: () => number, start: string, days: number): Date {
  return new Date(Date.parse(start) + Math.floor(random() * days * 86_400_000));
}

function generatedUsers(random: () => number): UserSeed[] {
  const users: UserSeed[] = [];
  for (let i = 0; i < 48; i++) {
    const window = i % 4 === 3 ? ['2028-02-15T00:00:00Z', 28] : ['2026-12-14T00:00:00Z', 63];
    users.push({
      createdAt: spread(random, window[0] as string, window[1] as number),
      department: DEPARTMENTS[Math.floor(random() * DEPARTMENTS.length)],
      domain: DOMAINS[Math.floor(random() * DOMAINS.length)],
      roles: random() < 0.1 ? ['member', 'admin'] : ['member'],
      status: random() < 0.08 ? 'deleted' : random() < 0.08 ? 'suspended' : 'active',
    });
  }
  return users;
}

export interface SeededUser {
  _id: Types.ObjectId;
  createdAt: Date;
  signupWeek: string;
}

export async function seedAnalyticsFixture(connection: Connection): Promise<{ users: SeededUser[] }> {
  const random = prng(20270101);
  const seeds = [...HAND_PICKED_USERS, ...generatedUsers(random)];
  const User = connection.model(ModelName.User);
  const docs = await User.insertMany(
    seeds.map((seed, i) => ({
      email: `seed-${i}@${seed.domain}`,
      name: { first: `Seed${i}`, last: 'User' },
      department: seed.department,
      roles: seed.roles,
      status: seed.status,
      createdAt: seed.createdAt,
    })),
  );
  const users: SeededUser[] = docs.map((doc) => ({
    _id: doc._id as Types.ObjectId,
    createdAt: doc.get('createdAt') as Date,
    signupWeek: doc.get('signupWeek') as string,
  }));

  // Logins: hand-picked edges plus generated ones, each at or after the user's signup.
  const logins: Array<{ user: SeededUser | null; at: Date; reason?: Reason }> = [];
  const byCreated = (iso: string) => users.find((user) => user.createdAt.toISOString() === iso) ?? null;
  const edge = (iso: string, userIso: string, reason?: Reason) => logins.push({ user: byCreated(userIso), at: at(iso), reason });
  edge('2026-12-31T23:59:59.999Z', '2026-12-28T00:00:00.000Z');
  edge('2027-01-01T00:00:00.000Z', '2026-12-28T00:00:00.000Z');
  edge('2027-01-01T00:00:00.001Z', '2026-12-28T00:00:00.000Z'); // same user-day twice: one activity
  edge('2027-01-03T23:59:59.999Z', '2026-12-31T23:59:59.999Z');
  edge('2027-01-04T00:00:00.000Z', '2026-12-31T23:59:59.999Z');
  edge('2027-01-04T08:00:00.000Z', '2026-12-27T23:59:59.999Z', 'bad_password');
  edge('2027-01-31T23:59:59.999Z', '2027-01-01T00:00:00.000Z');
  edge('2027-02-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', 'locked');
  edge('2028-02-29T00:00:00.000Z', '2028-02-28T23:00:00.000Z');
  edge('2028-02-29T23:59:59.999Z', '2028-02-29T00:00:00.000Z');
  edge('2028-02-29T12:00:00.000Z', '2028-02-29T00:00:00.000Z', 'bad_password');
  edge('2028-03-01T00:00:00.000Z', '2028-02-29T23:59:59.999Z');
  logins.push({ user: null, at: at('2028-02-29T06:00:00.000Z'), reason: 'unknown_email' });
  logins.push({ user: null, at: at('2027-01-01T00:00:00.000Z'), reason: 'unknown_email' });
  for (let i = 0; i < 400; i++) {
    const user = users[Math.floor(random() * users.length)];
    const when = new Date(user.createdAt.getTime() + Math.floor(random() * 40 * 86_400_000));
    const roll = random();
    if (roll < 0.7) logins.push({ user, at: when });
    else if (roll < 0.95) logins.push({ user, at: when, reason: roll < 0.85 ? 'bad_password' : 'locked' });
    else logins.push({ user: null, at: when, reason: 'unknown_email' });
  }

  const Succeeded = connection.model(EventKind.LoginSucceeded);
  const Failed = connection.model(EventKind.LoginFailed);
  await Succeeded.insertMany(
    logins
      .filter((login) => !login.reason && login.user)
      .map((login) => ({ userId: login.user?._id, cohortWeek: login.user?.signupWeek, at: login.at })),
  );
  await Failed.insertMany(
    logins
      .filter((login) => login.reason)
      .map((login) =>
        login.user
          ? { userId: login.user._id, cohortWeek: login.user.signupWeek, at: login.at, reason: login.reason }
          : { at: login.at, reason: login.reason },
      ),
  );

  // The daily rollup as auth-api writes it on each successful login: one upsert per (user, day).
  const Activity = connection.model(ModelName.Activity);
  for (const login of logins.filter((entry) => !entry.reason && entry.user)) {
    const user = login.user as SeededUser;
    await Activity.updateOne(
      { userId: user._id, day: login.at.toISOString().slice(0, 10) },
      { $setOnInsert: { cohortWeek: user.signupWeek } },
      { upsert: true },
    );
  }
  await seedFunnelEvents(connection, users);
  return { users };
}

const HOUR_MS = 3_600_000;

/**
 * The account funnels (issue 13) for the same users, without drawing from the generator (so
 * the data above stays exactly what it was): every fourth user came by invitation (UserInvited,
 * most accepted), the others registered (UserRegistered, most verified), each with its mail.
 */
async function seedFunnelEvents(connection: Connection, users: SeededUser[]): Promise<void> {
  const inviter = users.find((user, i) => HAND_PICKED_USERS[i]?.roles.includes('admin'))?._id ?? new Types.ObjectId();
  const docs: Array<Record<string, unknown> & { kind: string }> = [];
  users.forEach((user, i) => {
    const base = { userId: user._id, cohortWeek: user.signupWeek };
    const after = (hours: number) => new Date(user.createdAt.getTime() + hours * HOUR_MS);
    const invited = i % 4 === 1;
    const template = invited ? 'invitation' : 'email-verification';
    if (invited) {
      docs.push({ ...base, kind: EventKind.UserInvited, by: inviter, at: user.createdAt });
      if (i % 3 !== 0) docs.push({ ...base, kind: EventKind.InvitationAccepted, at: after(1 + ((i * 5) % 72)) });
    } else {
      docs.push({ ...base, kind: EventKind.UserRegistered, at: user.createdAt });
      if (i % 5 !== 0) docs.push({ ...base, kind: EventKind.EmailVerified, at: after(1 + ((i * 7) % 48)) });
    }
    if (i % 11 === 0) docs.push({ ...base, kind: EventKind.MailFailed, template, reason: '550 mailbox unavailable', at: after(0.5) });
    else docs.push({ ...base, kind: EventKind.MailSent, template, attempts: 1 + (i % 2), at: after(0.01) });
  });
  for (const kind of new Set(docs.map((doc) => doc.kind))) {
    await connection.model(kind).insertMany(docs.filter((doc) => doc.kind === kind));
  }
}
