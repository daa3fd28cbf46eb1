/**
 * The expected figures, computed from raw documents in plain TypeScript — deliberately NOT
 * with the app's code (or the schemas' key helpers): its own ISO-week formula, its own
 * bucket enumeration (walk every day, label it), its own joins.
 */

export interface RawUser {
  _id: string;
  createdAt: Date;
  email: string;
  department?: string | null;
  roles: string[];
  status: string;
}
export interface RawEvent {
  kind: string;
  at: Date;
  reason?: string | null;
}
export interface RawActivity {
  userId: string;
  day: string;
}
export type Interval = 'day' | 'week' | 'month';

const DAY = 86_400_000;

/** ISO week via the week's Thursday: its year is the week-year, and week = ceil(day-of-year / 7). */
export function oracleIsoWeek(instant: Date): string {
  const date = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
  const isoDay = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
  const thursday = new Date(date.getTime() + (4 - isoDay) * DAY);
  const year = thursday.getUTCFullYear();
  const dayOfYear = (thursday.getTime() - Date.UTC(year, 0, 1)) / DAY + 1;
  return `${year}-W${String(Math.ceil(dayOfYear / 7)).padStart(2, '0')}`;
}

function label(interval: Interval, instant: Date): string {
  if (interval === 'week') return oracleIsoWeek(instant);
  const iso = instant.toISOString();
  return interval === 'month' ? iso.slice(0, 7) : iso.slice(0, 10);
}

const dayOf = (key: string) => new Date(`${key}T00:00:00.000Z`);

/** [from, to) widened to whole buckets: back/forward day by day until the label changes. */
export function oracleSnap(interval: Interval, fromKey: string, toKey: string): { from: Date; to: Date } {
  let from = dayOf(fromKey);
  while (label(interval, new Date(from.getTime() - DAY)) === label(interval, from)) from = new Date(from.getTime() - DAY);
  let to = dayOf(toKey);
  const last = new Date(to.getTime() - DAY);
  while (label(interval, to) === label(interval, last)) to = new Date(to.getTime() + DAY);
  return { from, to };
}

function labels(interval: Interval, range: { from: Date; to: Date }): string[] {
  const out: string[] = [];
  for (let t = range.from.getTime(); t < range.to.getTime(); t += DAY) {
    const key = label(interval, new Date(t));
    if (out[out.length - 1] !== key) out.push(key);
  }
  return out;
}

const inRange = (instant: Date, range: { from: Date; to: Date }) => instant >= range.from && instant < range.to;

export function expectedSignups(users: RawUser[], interval: Interval, fromKey: string, toKey: string) {
  const range = oracleSnap(interval, fromKey, toKey);
  const counts = new Map<string, number>();
  for (const user of users.filter((u) => inRange(u.createdAt, range))) {
    const key = label(interval, user.createdAt);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { range, rows: labels(interval, range).map((bucket) => ({ bucket, count: counts.get(bucket) ?? 0 })) };
}

export function expectedActiveUsers(activities: RawActivity[], interval: Interval, fromKey: string, toKey: string) {
  const range = oracleSnap(interval, fromKey, toKey);
  const distinct = new Map<string, Set<string>>();
  for (const activity of activities) {
    const day = dayOf(activity.day);
    if (!inRange(day, range)) continue;
    const key = label(interval, day);
    if (!distinct.has(key)) distinct.set(key, new Set());
    distinct.get(key)?.add(activity.userId);
  }
  return { range, rows: labels(interval, range).map((bucket) => ({ bucket, count: distinct.get(bucket)?.size ?? 0 })) };
}

export function expectedLogins(events: RawEvent[], interval: Interval, fromKey: string, toKey: string) {
  const range = oracleSnap(interval, fromKey, toKey);
  const rows = labels(interval, range).map((bucket) => ({
    bucket,
    succeeded: 0,
    failed: 0,
    failedByReason: { bad_password: 0, locked: 0, unknown_email: 0 } as Record<string, number>,
  }));
  for (const event of events) {
    if (!inRange(event.at, range)) continue;
    const row = rows.find((r) => r.bucket === label(interval, event.at));
    if (!row) throw new Error('oracle: bucket missing');
    if (event.kind === 'LoginSucceeded') row.succeeded++;
    if (event.kind === 'LoginFailed') {
      row.failed++;
      row.failedByReason[event.reason as string]++;
    }
  }
  return { range, rows };
}

export function expectedCohorts(users: RawUser[], activities: RawActivity[], fromKey: string, weeks: number) {
  const window = oracleSnap('week', fromKey, fromKey);
  const weekKeys: string[] = [];
  for (let t = window.from.getTime(); weekKeys.length < weeks + 1; t += 7 * DAY) weekKeys.push(oracleIsoWeek(new Date(t)));
  const cohortOf = new Map(users.map((user) => [user._id, oracleIsoWeek(user.createdAt)]));
  const rows: Array<{ cohortWeek: string; size: number; offset: number; week: string; active: number; share: number | null }> = [];
  weekKeys.forEach((cohortWeek, index) => {
    const members = new Set(users.filter((user) => cohortOf.get(user._id) === cohortWeek).map((user) => user._id));
    for (let offset = 0; index + offset < weekKeys.length; offset++) {
      const week = weekKeys[index + offset];
      const active = new Set(activities.filter((a) => members.has(a.userId) && oracleIsoWeek(dayOf(a.day)) === week).map((a) => a.userId))
        .size;
      rows.push({ cohortWeek, size: members.size, offset, week, active, share: members.size ? active / members.size : null });
    }
  });
  return { from: window.from.toISOString().slice(0, 10), rows };
}

export function expectedBreakdown(users: RawUser[], by: 'department' | 'role' | 'status' | 'emailDomain', limit: number) {
  const counted = by === 'status' ? users : users.filter((user) => user.status !== 'deleted');
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const user of counted) {
    if (by === 'role') user.roles.forEach(add);
    else if (by === 'status') add(user.status);
    else if (by === 'emailDomain') add(user.email.split('@')[1].toLowerCase());
    else add(user.department ? user.department : '(none)');
  }
  const sorted = [...counts.entries()].sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0));
  const rows = sorted.slice(0, limit).map(([key, count]) => ({ key, count }));
  const rest = sorted.slice(limit).reduce((sum, [, count]) => sum + count, 0);
  if (rest > 0) rows.push({ key: 'other', count: rest });
  return { total: sorted.reduce((sum, [, count]) => sum + count, 0), rows };
}
