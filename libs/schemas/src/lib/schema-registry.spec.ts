import mongoose, { type Schema } from 'mongoose';
import { compileRegistry } from '../../test/compile-registry';
import { EVENT_KINDS } from './event/event.constants';
import { ModelName } from './registry';
import { SCHEMA_REGISTRY } from './schema-registry';

type IndexSpec = [Record<string, 1 | -1>, { unique?: boolean; expireAfterSeconds?: number }?];

/** The query paths of ARCHITECTURE.md, one index each (see the comments beside each schema's indexes). */
const EXPECTED_INDEXES: Record<ModelName, IndexSpec[]> = {
  User: [
    [{ email: 1 }, { unique: true }],
    [{ searchPrefixes: 1, sortName: 1, _id: 1 }],
    [{ sortName: 1, _id: 1 }],
    [{ department: 1, sortName: 1, _id: 1 }],
    [{ managerId: 1, sortName: 1, _id: 1 }],
    [{ roles: 1, sortName: 1, _id: 1 }],
    [{ status: 1, sortName: 1, _id: 1 }],
    [{ createdAt: 1, _id: 1 }],
    [{ signupWeek: 1 }],
    [{ lastLoginAt: 1 }],
  ],
  Session: [
    [{ tokenHash: 1 }, { unique: true }],
    [{ rotatedHashes: 1 }],
    [{ family: 1 }, { unique: true }],
    [{ userId: 1 }],
    [{ expiresAt: 1 }, { expireAfterSeconds: 0 }],
  ],
  Event: [[{ kind: 1, day: 1 }], [{ userId: 1, at: -1, _id: -1 }]],
  Activity: [[{ userId: 1, day: 1 }, { unique: true }], [{ week: 1, userId: 1 }], [{ day: 1 }]],
  OutboxMessage: [
    [{ status: 1, nextAttemptAt: 1 }],
    [{ to: 1, template: 1, createdAt: 1 }],
    [{ userId: 1, createdAt: 1 }],
    [{ createdAt: 1 }, { expireAfterSeconds: 30 * 86_400 }],
  ],
  OutboxClaim: [
    [{ key: 1 }, { unique: true }],
    [{ at: 1 }, { expireAfterSeconds: 30 * 86_400 }],
  ],
};

const COLLECTIONS: Record<ModelName, string> = {
  User: 'users',
  Session: 'sessions',
  Event: 'events',
  Activity: 'activities',
  OutboxMessage: 'outboxmessages',
  OutboxClaim: 'outboxclaims',
};

/** Index keys in order (order matters for a compound index), plus the options that change meaning. */
function describeIndexes(schema: Schema): string[] {
  return schema.indexes().map(([fields, options]) => {
    const { unique, expireAfterSeconds } = options as {
      unique?: boolean;
      expireAfterSeconds?: number;
    };
    return JSON.stringify([Object.entries(fields), { unique: unique ?? false, expireAfterSeconds }]);
  });
}

function describeExpected(specs: IndexSpec[]): string[] {
  return specs.map(([fields, options]) =>
    JSON.stringify([
      Object.entries(fields),
      {
        unique: options?.unique ?? false,
        expireAfterSeconds: options?.expireAfterSeconds,
      },
    ]),
  );
}

describe('SCHEMA_REGISTRY', () => {
  it('lists every model name exactly once', () => {
    expect(SCHEMA_REGISTRY.map((entry) => entry.name).sort()).toEqual(Object.values(ModelName).sort());
  });

  it.each(Object.values(ModelName))('%s declares exactly the indexes its queries need', (name) => {
    const entry = SCHEMA_REGISTRY.find((candidate) => candidate.name === name);
    if (!entry) throw new Error(`${name} is not registered`);
    expect(describeIndexes(entry.schema).sort()).toEqual(describeExpected(EXPECTED_INDEXES[name]).sort());
  });

  it('uses no index feature FerretDB v1 lacks', () => {
    for (const entry of SCHEMA_REGISTRY) {
      for (const [fields, options] of entry.schema.indexes()) {
        expect(Object.values(fields)).not.toContain('text');
        expect(options).not.toHaveProperty('partialFilterExpression');
        expect(options).not.toHaveProperty('sparse');
        expect(options).not.toHaveProperty('collation');
      }
    }
  });

  it('declares collection names and the shared strict-query option on every schema', () => {
    for (const entry of SCHEMA_REGISTRY) {
      expect(entry.schema.get('collection')).toBe(COLLECTIONS[entry.name as ModelName]);
      expect(entry.schema.get('strictQuery')).toBe('throw');
    }
  });

  it('registers every event kind as a discriminator of Event', () => {
    const event = SCHEMA_REGISTRY.find((entry) => entry.name === ModelName.Event);
    expect(event?.discriminators?.map((d) => d.name).sort()).toEqual([...EVENT_KINDS].sort());
  });

  it('compiles onto several connections, as libs/connections does, without creating global models', async () => {
    const first = compileRegistry();
    const second = compileRegistry();
    try {
      for (const kind of EVENT_KINDS) {
        expect(first.model(kind)).not.toBe(second.model(kind));
        expect(second.model(kind).schema.get('discriminatorKey')).toBe('kind');
      }
      expect(first.model(ModelName.User).schema.indexes()).toHaveLength(EXPECTED_INDEXES.User.length);
      expect(mongoose.modelNames()).toEqual([]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
