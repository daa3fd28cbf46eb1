import { connectOptionsFor } from './connection-roles';

const base = { uri: 'mongodb://127.0.0.1:1/', dbName: 'x', autoIndex: true };

describe('role tuning', () => {
  it('fast: large pool, primary reads, majority writes, short timeouts', () => {
    const o = connectOptionsFor('fast', base);
    expect(o).toMatchObject({
      maxPoolSize: 50,
      readPreference: 'primary',
      writeConcern: { w: 'majority' },
      sanitizeFilter: true,
      bufferCommands: false,
    });
    expect(o.serverSelectionTimeoutMS).toBeLessThanOrEqual(3_000);
  });

  it('slow: small pool, secondaryPreferred, sockets outlive the aggregation budget', () => {
    const o = connectOptionsFor('slow', { ...base, maxTimeMS: 20_000 });
    expect(o.maxPoolSize).toBeLessThan(connectOptionsFor('fast', base).maxPoolSize as number);
    expect(o.readPreference).toBe('secondaryPreferred');
    expect(o.socketTimeoutMS).toBeGreaterThan(20_000);
  });

  it('autoIndex follows the caller (on in dev/test, off in production)', () => {
    expect(connectOptionsFor('fast', base)).toMatchObject({ autoIndex: true, autoCreate: true });
    expect(connectOptionsFor('fast', { ...base, autoIndex: false })).toMatchObject({ autoIndex: false, autoCreate: false });
  });

  it('the slow role never builds indexes: that needs the primary', () => {
    expect(connectOptionsFor('slow', base)).toMatchObject({ autoIndex: false, autoCreate: false });
  });
});
