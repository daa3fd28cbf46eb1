import type { ConnectOptions, mongo } from 'mongoose';

/**
 * A connection role is a pool tuned for one kind of work ("slow trains", PRINCIPLES.md #2):
 * login and search never queue behind an analytics aggregation because they never share
 * a pool with one.
 */
export const ConnectionRole = { Fast: 'fast', Slow: 'slow' } as const;
export type ConnectionRole = (typeof ConnectionRole)[keyof typeof ConnectionRole];

/** Options every caller may set; the rest comes from the role's tuning. */
export interface RoleConnectionOptions {
  uri: string;
  dbName?: string;
  /** Build indexes on start. True in development and tests; production runs `sync-indexes`. */
  autoIndex: boolean;
  /** Overrides the role's pool size (tests shrink it to saturate a pool on purpose). */
  maxPoolSize?: number;
  /** Time budget for every aggregation on a slow connection. */
  maxTimeMS?: number;
  /**
   * Overrides the role's socket timeout. One-off maintenance (sync-indexes, the derived-key
   * backfill) passes 0: an index build or a full scan may rightly take longer than 10 s.
   */
  socketTimeoutMS?: number;
  /**
   * Overrides the slow role's tag sets (the driver's `readPreferenceTags`, tried in order; `{}`
   * means any secondary). For a deployment whose analytics members carry other tags.
   */
  readPreferenceTags?: mongo.TagSet[];
  appName?: string;
}

export const DEFAULT_SLOW_MAX_TIME_MS = 15_000;

interface RoleTuning {
  connect: ConnectOptions;
  /** Aggregations get `maxTimeMS` and `allowDiskUse` (slow role only). */
  aggregationBudget: boolean;
}

export const ROLE_TUNING: Record<ConnectionRole, RoleTuning> = {
  fast: {
    connect: {
      maxPoolSize: 50,
      minPoolSize: 2,
      readPreference: 'primary',
      // Fail fast when the server is gone: the request becomes a 503, not a hang.
      serverSelectionTimeoutMS: 2_500,
      connectTimeoutMS: 3_000,
      socketTimeoutMS: 10_000,
      writeConcern: { w: 'majority' },
    },
    aggregationBudget: false,
  },
  slow: {
    connect: {
      // Small on purpose: a handful of heavy aggregations at a time, never the whole server.
      maxPoolSize: 4,
      minPoolSize: 0,
      // Not `secondary`: with no secondary up (one-member set) that fails; this reads the primary then.
      readPreference: 'secondaryPreferred',
      // The member tagged for analytics first, then any secondary: aggregations leave the primary.
      readPreferenceTags: [{ workload: 'analytics' }, {}],
      serverSelectionTimeoutMS: 5_000,
      connectTimeoutMS: 5_000,
    },
    aggregationBudget: true,
  },
};

export function connectOptionsFor(role: ConnectionRole, options: RoleConnectionOptions): ConnectOptions {
  const tuning = ROLE_TUNING[role].connect;
  const maxTimeMS = options.maxTimeMS ?? DEFAULT_SLOW_MAX_TIME_MS;
  return {
    ...tuning,
    ...(options.maxPoolSize !== undefined && { maxPoolSize: options.maxPoolSize }),
    // A socket must outlive the longest aggregation it may carry.
    ...(role === ConnectionRole.Slow && { socketTimeoutMS: maxTimeMS + 5_000 }),
    ...(options.socketTimeoutMS !== undefined && { socketTimeoutMS: options.socketTimeoutMS }),
    // Tags only mean something off the primary (the driver refuses them with `primary`).
    ...(role === ConnectionRole.Slow && options.readPreferenceTags && { readPreferenceTags: options.readPreferenceTags }),
    dbName: options.dbName,
    appName: options.appName ?? `directory-${role}`,
    // Index builds need the primary; a secondaryPreferred (slow) connection never builds them,
    // the fast connections or `sync-indexes` do.
    autoIndex: role === ConnectionRole.Fast && options.autoIndex,
    autoCreate: role === ConnectionRole.Fast && options.autoIndex,
    // Commands fail at once while disconnected instead of waiting in Mongoose's buffer.
    bufferCommands: false,
    // `{"$gt": ""}` from a client becomes `{$eq: {"$gt": ""}}`, never an operator.
    // Our own operators must be wrapped in `trusted()`.
    sanitizeFilter: true,
  };
}
