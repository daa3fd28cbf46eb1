import { ConnectionRole } from './connection-roles';
import mongoose, { type Connection, type PipelineStage } from 'mongoose';
import { ModelName, SCHEMA_REGISTRY } from '@directory/schemas';
import { compiledModelNames, createConnection } from './create-connection';

// The database comes from the Jest global setup (MONGODB_URI); each file uses its own name.
// (libs/testing is not imported here: it sits above connections in the dependency graph.)
const uri = process.env['MONGODB_URI'] as string;
const dbName = `t_connections_${process.env['JEST_WORKER_ID']}_${Date.now().toString(36)}`;

const LOAD_DOCS = 20_000;
// Grouping every event is a real, heavy aggregation: hundreds of ms on FerretDB, while a
// point query by a unique key takes a few. One group, so the answer is a single batch and
// no getMore queues behind the other queries.
const heavyPipeline: PipelineStage[] = [{ $group: { _id: '$kind', n: { $sum: 1 } } }];

describe('role connections on a real database', () => {
  let fast: Connection;
  let slow: Connection;

  beforeAll(async () => {
    fast = await createConnection(ConnectionRole.Fast, { uri, dbName, autoIndex: true });
    // One socket, so one long aggregation saturates the slow pool.
    slow = await createConnection(ConnectionRole.Slow, { uri, dbName, autoIndex: false, maxPoolSize: 1, maxTimeMS: 120_000 });
    await fast.model(ModelName.User).init();
    const events = fast.collection('events');
    for (let i = 0; i < LOAD_DOCS; i += 5_000) {
      await events.insertMany(
        Array.from({ length: 5_000 }, (_, k) => ({
          kind: 'LoginSucceeded',
          userId: new fast.base.Types.ObjectId(),
          at: new Date(Date.UTC(2026, 0, 1 + ((i + k) % 300))),
          day: `d${(i + k) % 300}`,
          week: 'w',
          cohortWeek: 'c',
        })),
      );
    }
    await fast.collection('users').insertOne({ email: 'probe@example.com', roles: ['member'], status: 'active' });
  });

  afterAll(async () => {
    await fast?.dropDatabase();
    await Promise.all([fast?.close(), slow?.close()]);
  });

  it('compiles every shared schema and discriminator on each connection', () => {
    const names = compiledModelNames();
    expect(names.length).toBeGreaterThan(SCHEMA_REGISTRY.length);
    for (const name of names) {
      expect(fast.model(name)).toBeDefined();
      expect(slow.model(name)).toBeDefined();
    }
  });

  it('autoIndex builds every index the schemas declare (TTL kept as a plain index where unsupported)', async () => {
    for (const entry of SCHEMA_REGISTRY) {
      const model = fast.model(entry.name);
      await model.init();
      const built = (await model.collection.listIndexes().toArray()).map((ix) => JSON.stringify(ix['key']));
      for (const [fields] of entry.schema.indexes()) {
        expect(built).toContain(JSON.stringify(fields));
      }
    }
  });

  it('slow trains: a full slow pool delays its own queries but never the fast connection', async () => {
    const order: string[] = [];
    const checkedOut = new Promise<void>((resolve) => slow.getClient().once('connectionCheckedOut', () => resolve()));

    const slowAggregation = slow
      .model(ModelName.Event)
      .aggregate(heavyPipeline)
      .exec()
      .then(() => order.push('slow: aggregation'));
    await checkedOut; // the aggregation now holds the only slow socket

    const fastQuery = fast
      .model(ModelName.User)
      .findOne({ email: 'probe@example.com' })
      .lean()
      .exec()
      .then(() => order.push('fast: point query'));
    const queuedQuery = slow
      .model(ModelName.User)
      .findOne({ email: 'probe@example.com' })
      .lean()
      .exec()
      .then(() => order.push('slow: point query'));

    await Promise.all([slowAggregation, fastQuery, queuedQuery]);
    expect(order).toEqual(['fast: point query', 'slow: aggregation', 'slow: point query']);
  });

  it('every aggregation on the slow role carries its time budget', async () => {
    const tight = await createConnection(ConnectionRole.Slow, { uri, dbName, autoIndex: false, maxTimeMS: 1 });
    try {
      await expect(tight.model(ModelName.Event).aggregate(heavyPipeline).exec()).rejects.toMatchObject({ code: 50 });
    } finally {
      await tight.close();
    }
  });

  it('client operators are data, not operators (sanitizeFilter)', async () => {
    const User = fast.model(ModelName.User);
    const injected = { $gt: '' } as unknown as string;
    // Wrapped in $eq, the object cannot cast to a string: a 400, never a match.
    await expect(User.findOne({ email: injected }).lean()).rejects.toBeInstanceOf(mongoose.Error.CastError);
    // Our own operators opt in explicitly.
    expect(await User.findOne({ email: mongoose.trusted({ $gt: '' }) }).lean()).not.toBeNull();
  });

  it('unknown filter keys are an error, not an empty filter (strictQuery)', async () => {
    await expect(fast.model(ModelName.User).find({ notAField: 'x' }).lean()).rejects.toThrow(/notAField/);
  });
});
