/**
 * The baselines of bench/ as one minimal process: node:http, no framework, no validation, no
 * auth, no logging, and the raw MongoDB driver under a `fast`-role connection (the tuning and
 * pool size users-api gets). It answers GET /users?q=&limit= with the query users-api runs for
 * the same request: an equality on the stored prefix of the normalized `q` (userSearchFilter),
 * visible statuses, (sortName, _id) order, `limit` rows, the user-view projection.
 *
 * The slow-trains control: GET /analytics/start?loops=n runs admin-analytics' cohort and
 * breakdown requests — the app's own pipeline builders and cohort window, each request's two
 * pipelines at once as AnalyticsService runs them — in n endless loops ON THE SAME CONNECTION
 * POOL as the searches, i.e. what users-api would suffer if analytics shared its pool.
 * GET /analytics/stop ends them; GET /stats counts the rounds (one round = one request's worth).
 *
 * Environment: MONGODB_URI, MONGODB_DB, PORT; POOL_SIZE (default: the fast role's);
 * SOCKET_TIMEOUT_MS (default: the fast role's); COHORT_FROM, COHORT_WEEKS, BREAKDOWN_LIMIT and
 * AGGREGATION_MAX_TIME_MS for the analytics requests.
 */
import { createServer, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectionRole, createConnection } from '@directory/connections';
import { userSearchFilter } from '@directory/schemas';
import type { mongo, PipelineStage } from 'mongoose';
import {
  breakdownTopPipeline,
  breakdownTotalPipeline,
  bucketKeys,
  cohortActivityPipeline,
  cohortSizesPipeline,
  cohortWindow,
  parseDayKey,
  USER_VIEW_PROJECTION,
} from '@directory/data-access';

// The projection users-api's search reads (the one UserView's fields).
const PROJECTION = USER_VIEW_PROJECTION;

async function main(): Promise<void> {
  const env = process.env;
  const optionalNumber = (name: string) => (env[name] ? Number(env[name]) : undefined);
  const poolSize = optionalNumber('POOL_SIZE');
  const socketTimeoutMS = optionalNumber('SOCKET_TIMEOUT_MS');
  const connection = await createConnection(ConnectionRole.Fast, {
    uri: env['MONGODB_URI'] as string,
    dbName: env['MONGODB_DB'],
    autoIndex: false,
    appName: 'bench-baseline',
    ...(poolSize !== undefined && { maxPoolSize: poolSize }),
    ...(socketTimeoutMS !== undefined && { socketTimeoutMS }),
  });
  const db = connection.db;
  if (!db) throw new Error('no database');
  const users = db.collection('users');
  const activities = db.collection('activities');

  // What GET /analytics/cohorts?from=&weeks= and /analytics/breakdown?by=department&limit= run
  // (AnalyticsService): the same window, the same pipelines, the two of a request at once.
  const weeks = Number(env['COHORT_WEEKS'] ?? 8);
  const window = cohortWindow(parseDayKey(env['COHORT_FROM'] ?? '2026-01-01'), weeks);
  const weekKeys = bucketKeys('week', window);
  const [firstWeek, lastWeek] = [weekKeys[0] as string, weekKeys[weekKeys.length - 1] as string];
  const breakdownLimit = Number(env['BREAKDOWN_LIMIT'] ?? 10);
  // As the slow role's aggregation budget does (withAggregationBudget).
  const options: mongo.AggregateOptions = { maxTimeMS: Number(env['AGGREGATION_MAX_TIME_MS'] ?? 120_000), allowDiskUse: true };
  const aggregate = (collection: mongo.Collection, pipeline: PipelineStage[]) =>
    collection.aggregate(pipeline as mongo.Document[], options).toArray();
  const requests = [
    () =>
      Promise.all([
        aggregate(users, cohortSizesPipeline(firstWeek, lastWeek)),
        aggregate(activities, cohortActivityPipeline(firstWeek, lastWeek)),
      ]),
    () =>
      Promise.all([
        aggregate(users, breakdownTopPipeline('department', breakdownLimit)),
        aggregate(users, breakdownTotalPipeline('department')),
      ]),
  ];

  let rounds = 0;
  let failed = 0;
  let lastError = '';
  let generation = 0;
  let running: Promise<void>[] = [];
  const loop = async (own: number, offset: number) => {
    // Alternate which request a loop starts with, as the HTTP loops against admin-analytics do.
    for (let turn = offset; generation === own; turn++) {
      try {
        await (requests[turn % 2] as () => Promise<unknown>)();
        rounds++;
      } catch (error) {
        failed++;
        lastError = (error as Error).message;
        await sleep(100); // a database that refuses at once must not turn the loop into a busy spin
      }
    }
  };
  const stopLoops = async () => {
    generation++;
    await Promise.allSettled(running);
    running = [];
  };
  const startLoops = async (count: number) => {
    await stopLoops();
    const own = generation;
    running = Array.from({ length: count }, (_, i) => loop(own, i));
  };
  const json = (response: ServerResponse, body: unknown) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(body));
  };
  const stats = () => ({ rounds, failed, lastError, loops: running.length, firstWeek, lastWeek });

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/ready') {
      response.end('ok');
      return;
    }
    if (url.pathname === '/stats') {
      json(response, stats());
      return;
    }
    if (url.pathname === '/analytics/start') {
      void startLoops(Number(url.searchParams.get('loops') ?? 1)).then(() => json(response, stats()));
      return;
    }
    if (url.pathname === '/analytics/stop') {
      void stopLoops().then(() => json(response, stats()));
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
        response.end(
          JSON.stringify({
            items,
            nextCursor: last ? Buffer.from(JSON.stringify([last['sortName'], last['_id']])).toString('base64url') : null,
          }),
        );
      })
      .catch((error: Error) => {
        response.statusCode = 500;
        response.end(error.message);
      });
  });
  server.listen(Number(env['PORT'] ?? 4199), '127.0.0.1');
  process.once('SIGTERM', () => {
    server.close();
    void stopLoops()
      .then(() => connection.close())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
