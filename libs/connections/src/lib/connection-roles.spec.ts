import { ConnectionRole } from './connection-roles';
import { mongo } from 'mongoose';
import { DEFAULT_SLOW_MAX_TIME_MS, connectOptionsFor } from './connection-roles';

const base = { uri: 'mongodb://127.0.0.1:1/', dbName: 'x', autoIndex: true };

describe('role tuning', () => {
  it('fast: large pool, primary reads, majority writes, short timeouts', () => {
    const o = connectOptionsFor(ConnectionRole.Fast, base);
    expect(o).toMatchObject({
      maxPoolSize: 50,
      readPreference: 'primary',
      writeConcern: { w: 'majority' },
      sanitizeFilter: true,
      bufferCommands: false,
    });
    expect(o.readPreferenceTags).toBeUndefined();
    expect(o.serverSelectionTimeoutMS).toBeLessThanOrEqual(3_000);
    expect(o.socketTimeoutMS).toBeLessThanOrEqual(10_000);
  });

  it('fast ignores tag sets: the driver refuses tags with a primary read preference', () => {
    expect(
      connectOptionsFor(ConnectionRole.Fast, { ...base, readPreferenceTags: [{ workload: 'analytics' }] }).readPreferenceTags,
    ).toBeUndefined();
  });

  it('slow: small pool, the analytics member first, then any secondary, the primary only without one', () => {
    const o = connectOptionsFor(ConnectionRole.Slow, base);
    expect(o.maxPoolSize).toBeLessThan(connectOptionsFor(ConnectionRole.Fast, base).maxPoolSize as number);
    expect(o.readPreference).toBe('secondaryPreferred');
    expect(o.readPreferenceTags).toEqual([{ workload: 'analytics' }, {}]);
  });

  it('slow: sockets outlive the aggregation budget (the default one too)', () => {
    expect(connectOptionsFor(ConnectionRole.Slow, { ...base, maxTimeMS: 20_000 }).socketTimeoutMS).toBe(25_000);
    expect(connectOptionsFor(ConnectionRole.Slow, base).socketTimeoutMS).toBeGreaterThan(DEFAULT_SLOW_MAX_TIME_MS);
  });

  it('slow: the caller may name other tag sets', () => {
    const tags: mongo.TagSet[] = [{ dc: 'east', workload: 'analytics' }, { dc: 'east' }];
    expect(connectOptionsFor(ConnectionRole.Slow, { ...base, readPreferenceTags: tags }).readPreferenceTags).toEqual(tags);
  });

  it('the driver reads the slow options as one tagged read preference', () => {
    const { readPreference, readPreferenceTags } = connectOptionsFor(ConnectionRole.Slow, base);
    // Constructing a client parses its options; it connects only on connect().
    const client = new mongo.MongoClient('mongodb://127.0.0.1:1/?replicaSet=rs0', { readPreference, readPreferenceTags });
    expect(client.readPreference).toMatchObject({ mode: 'secondaryPreferred', tags: [{ workload: 'analytics' }, {}] });
  });

  it('autoIndex follows the caller (on in dev/test, off in production)', () => {
    expect(connectOptionsFor(ConnectionRole.Fast, base)).toMatchObject({ autoIndex: true, autoCreate: true });
    expect(connectOptionsFor(ConnectionRole.Fast, { ...base, autoIndex: false })).toMatchObject({ autoIndex: false, autoCreate: false });
  });

  it('the slow role never builds indexes: that needs the primary', () => {
    expect(connectOptionsFor(ConnectionRole.Slow, base)).toMatchObject({ autoIndex: false, autoCreate: false });
  });
});
