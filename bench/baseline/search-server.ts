/**
 * The baselines of bench/ as one minimal process: node:http, no framework, no validation, no
 * auth, no logging, and the raw MongoDB driver under a `fast`-role connection (the tuning and
 * pool size users-api gets). It answers GET /users?q=&limit= with the query users-api runs for
 * the same request: an equality on the stored prefix of the normalized `q` (userSearchFilter),
 * visible statuses, (sortName, _id) order, `limit` rows, the user-view projection.
 *
 * With AGGREGATION_LOOPS=n it also runs admin-analytics' cohort and breakdown pipelines (the
 * app's own pipeline builders) in n endless loops ON THE SAME CONNECTION POOL: the slow-trains
 * control, i.e. what users-api would suffer if analytics shared its pool.
 */
import { createServer } from 'node:http';
import { createConnection } from '@directory/connections';
import { isoWeekKey, parseDayKey, userSearchFilter } from '@directory/schemas';
import {
  breakdownTopPipeline,
  breakdownTotalPipeline,
  cohortActivityPipeline,
  cohortSizesPipeline,
} from '../../apps/admin-analytics/src/app/analytics/pipelines';

const PROJECTION = {
  email: 1, name: 1, displayName: 1, title: 1, department: 1, location: 1, phone: 1,
  managerId: 1, roles: 1, status: 1, createdAt: 1, updatedAt: 1, sortName: 1, __v: 1,
} as const;

async function main(): Promise<void> {
  const env = process.env;
  const connection = await createConnection('fast', {
    uri: env['MONGODB_URI'] as string,
    dbName: env['MONGODB_DB'],
    autoIndex: false,
    appName: 'bench-baseline',
  });
  const db = connection.db;
  if (!db) throw new Error('no database');
  const users = db.collection('users');
  const activities = db.collection('activities');

  let aggregations = 0;
  let stopping = false;
  const loops = Number(env['AGGREGATION_LOOPS'] ?? 0);
  const fromDay = env['COHORT_FROM'] ?? '2026-01-01';
  const weeks = Number(env['COHORT_WEEKS'] ?? 8);
  const firstWeek = isoWeekKey(parseDayKey(fromDay));
  const lastWeek = isoWeekKey(new Date(parseDayKey(fromDay).getTime() + weeks * 7 * 86_400_000));
  const loop = async (offset: number) => {
    // Alternate which request a loop starts with, as the HTTP loops against admin-analytics do.
    for (let turn = offset; !stopping; turn++) {
      if (turn % 2 === 0) {
        await users.aggregate(cohortSizesPipeline(firstWeek, lastWeek)).toArray();
        await activities.aggregate(cohortActivityPipeline(firstWeek, lastWeek)).toArray();
      } else {
        await users.aggregate(breakdownTopPipeline('department', 20)).toArray();
        await users.aggregate(breakdownTotalPipeline('department')).toArray();
      }
      aggregations++;
    }
  };
  const running = Array.from({ length: loops }, (_, i) => loop(i));

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/ready') {
      response.end('ok');
      return;
    }
    if (url.pathname === '/stats') {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ aggregations }));
      return;
    }
    if (url.pathname !== '/users') {
      response.statusCode = 404;
      response.end();
      return;
    }
    const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 20) || 20));
    const filter: Record<string, unknown> = { status: { $in: ['active', 'suspended'] } };
    Object.assign(filter, userSearchFilter(url.searchParams.get('q')));
    users
      .find(filter, { projection: PROJECTION })
      .sort({ sortName: 1, _id: 1 })
      .limit(limit)
      .toArray()
      .then((rows) => {
        // The response shape users-api gives: `id` and `version` for `_id` and `__v`, no sortName.
        const items = rows.map(({ _id, __v, ...user }) => {
          delete user['sortName'];
          return { id: _id, ...user, version: __v };
        });
        const last = rows.length === limit ? rows[limit - 1] : undefined;
        response.setHeader('content-type', 'application/json; charset=utf-8');
        response.end(JSON.stringify({ items, nextCursor: last ? Buffer.from(JSON.stringify([last['sortName'], last['_id']])).toString('base64url') : null }));
      })
      .catch((error: Error) => {
        response.statusCode = 500;
        response.end(error.message);
      });
  });
  server.listen(Number(env['PORT'] ?? 4199), '127.0.0.1');
  process.once('SIGTERM', () => {
    stopping = true;
    server.close();
    void Promise.allSettled(running).then(() => connection.close()).then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
