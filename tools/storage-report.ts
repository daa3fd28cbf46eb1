/**
 * What grows with the directory: bytes and index entries per user and per login, measured on a
 * freshly seeded database (docs/scaling.md pastes its output).
 *
 *   npx tsx --tsconfig tsconfig.base.json tools/storage-report.ts [--users 5000] [--days 90]
 *       [--seed storage] [--until YYYY-MM-DD] [--session-days 14] [--rotations 4]
 *       [--project-users 10000000] [--daily-active F] [--peak-hour-share 0.15]
 *
 * It resolves its OWN database through libs/testing's resolveDatabase() without a data directory
 * (MONGODB_URI when set, else whatever the resolver finds, started in a temporary directory that
 * stop() removes), never the `npm start` database in .data/. It writes into a new database named
 * storage-report-<time> and drops it afterwards, so a MONGODB_URI server keeps nothing.
 *
 * Two kinds of numbers:
 *  - what the server says (collStats, $collStats, $indexStats, dbStats), where it answers;
 *  - what the stored documents say, the same on every backend: BSON size of each document
 *    (bson's calculateObjectSize) and index entries derived from each collection's index
 *    definitions (listIndexes): one entry per index per document, one per distinct array
 *    element for multikey indexes (users.searchPrefixes, sessions.rotatedHashes), counted
 *    from the data. Key bytes are estimates, uncompressed and prefix-compressed (see
 *    encodeKeyValue and prefixCompressedBytes). Every key is kept in memory until its index
 *    is summed: fine for the ~5,000 users this is meant for, heavy beyond ~50,000.
 *
 * The seed writes no sessions (auth-api creates one per login); this script adds one per
 * LoginSucceeded of the last --session-days days (what the TTL index keeps alive when a session
 * is not used again after its login day), each rotated --rotations times, as auth-api writes them.
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { mongo, type Connection } from 'mongoose';
import { EventKind, ModelName, MAX_ROTATED_HASHES, parseDayKey, type SessionFields } from '@directory/schemas';
import { DEFAULT_PASSWORD, defaultUntil, openTargetDatabase, seedDatabase } from '@directory/data-tools';
import { resolveDatabase } from '@directory/testing/resolve-database';

const DAY_MS = 86_400_000;
const MB = 1024 * 1024;
/** What auth-api stores for a browser login (sessions.service.ts: user agent up to 512 characters, the client ip). */
const USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const COLLECTIONS = ['users', 'authenticationmethods', 'sessions', 'events', 'activities'] as const;
type CollectionName = (typeof COLLECTIONS)[number];

const USAGE = `Usage: npx tsx --tsconfig tsconfig.base.json tools/storage-report.ts [--users N] [--days D] [--seed S]
  [--until YYYY-MM-DD] [--session-days N] [--rotations R] [--project-users N] [--daily-active F] [--peak-hour-share F]

  --daily-active F   share of users active per day in the projection (default: the seed's last 28 days)`;

interface Options {
  users: number;
  days: number;
  seed: string;
  until: string;
  sessionDays: number;
  rotations: number;
  projectUsers: number;
  /** Overrides the seed's daily-active share in the projection. */
  dailyActive?: number;
  peakHourShare: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      users: { type: 'string', default: '5000' },
      days: { type: 'string', default: '90' },
      seed: { type: 'string', default: 'storage' },
      until: { type: 'string', default: defaultUntil() },
      'session-days': { type: 'string', default: '14' },
      rotations: { type: 'string', default: '4' },
      'project-users': { type: 'string', default: '10000000' },
      'daily-active': { type: 'string' },
      'peak-hour-share': { type: 'string', default: '0.15' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const int = (name: string, value: string, min: number, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in ${min}..${max}, got "${value}"`);
    return n;
  };
  const share = Number(values['peak-hour-share']);
  if (!(share > 0 && share <= 1)) throw new Error('--peak-hour-share must be in (0, 1]');
  const dailyActive = values['daily-active'] === undefined ? undefined : Number(values['daily-active']);
  if (dailyActive !== undefined && !(dailyActive > 0 && dailyActive <= 1)) throw new Error('--daily-active must be in (0, 1]');
  parseDayKey(values.until); // throws on a malformed day
  return {
    users: int('users', values.users, 1, 1_000_000),
    days: int('days', values.days, 1, 3650),
    seed: values.seed,
    until: values.until,
    sessionDays: int('session-days', values['session-days'], 1, 30),
    rotations: int('rotations', values.rotations, 0, MAX_ROTATED_HASHES),
    projectUsers: int('project-users', values['project-users'], 1, 1e10),
    ...(dailyActive !== undefined && { dailyActive }),
    peakHourShare: share,
  };
}

// ---------------------------------------------------------------------------------------------
// Index entries and key sizes, from index definitions and documents

type KeyPattern = Record<string, unknown>;
interface IndexInfo {
  name: string;
  key: KeyPattern;
  unique: boolean;
}

/** Values a dotted path yields in a document; arrays give their elements (MongoDB's multikey rule). */
function valuesAt(doc: unknown, path: string): { values: unknown[]; multikey: boolean } {
  let current: unknown[] = [doc];
  let multikey = false;
  for (const part of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      const child = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[part] : undefined;
      if (Array.isArray(child)) {
        multikey = true;
        if (child.length === 0)
          next.push(undefined); // an empty array is indexed as one key
        else next.push(...child);
      } else next.push(child ?? null); // a missing field is indexed as null
    }
    current = next;
  }
  return { values: current, multikey };
}

/**
 * One key value as bytes in index order, KeyString-like: a type byte, then the value (strings
 * NUL-terminated, dates and numbers 8 bytes, ObjectIds 12). Only sizes and shared leading
 * bytes matter here, not an exact replica of MongoDB's encoding.
 */
function encodeKeyValue(value: unknown, descending: boolean): Buffer {
  let bytes: Buffer;
  if (value === null || value === undefined) bytes = Buffer.from([0x0a]);
  else if (typeof value === 'string') bytes = Buffer.concat([Buffer.from([0x3c]), Buffer.from(value, 'utf8'), Buffer.from([0])]);
  else if (typeof value === 'boolean') bytes = Buffer.from([0x6e, value ? 1 : 0]);
  else if (typeof value === 'number' || value instanceof Date) {
    const n = typeof value === 'number' ? value : value.getTime();
    bytes = Buffer.alloc(9);
    bytes[0] = value instanceof Date ? 0x78 : 0x2b;
    bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(Math.trunc(n))) ^ (1n << 63n), 1); // sign flip: byte order = numeric order
  } else if (value instanceof mongo.ObjectId) bytes = Buffer.concat([Buffer.from([0x64]), Buffer.from(value.id)]);
  else bytes = Buffer.concat([Buffer.from([0x46]), mongo.BSON.serialize({ v: value })]);
  if (descending) for (let i = 0; i < bytes.length; i++) bytes[i] = 255 - (bytes[i] as number);
  return bytes;
}
/** Each key also carries the document's record id (an int64 in WiredTiger). */
const RECORD_ID_BYTES = 8;

/**
 * The keys one document puts into one index: the cartesian product of each field's values,
 * where an array field gives one key per DISTINCT element (MongoDB's multikey rule; at most one
 * array field per compound index) and a missing field one null key.
 */
function indexKeysOf(doc: unknown, index: IndexInfo): Buffer[] {
  let keys: Buffer[] = [Buffer.alloc(0)];
  for (const [path, direction] of Object.entries(index.key)) {
    const { values, multikey } = valuesAt(doc, path);
    const encoded = values.map((value) => encodeKeyValue(value, direction === -1));
    const distinct = multikey ? [...new Map(encoded.map((b) => [b.toString('latin1'), b])).values()] : encoded.slice(0, 1);
    keys = keys.flatMap((prefix) => distinct.map((part) => Buffer.concat([prefix, part])));
  }
  return keys;
}

function indexEntriesOf(doc: unknown, index: IndexInfo): { entries: number; keyBytes: number } {
  const keys = indexKeysOf(doc, index);
  return { entries: keys.length, keyBytes: keys.reduce((sum, key) => sum + key.length + RECORD_ID_BYTES, 0) };
}

/**
 * Bytes of an index after prefix compression (WiredTiger's default for indexes, on disk and in
 * cache): each key in sorted order stores only what differs from the key before it, plus its
 * record id. An estimate of what the index needs in RAM, not a WiredTiger page layout.
 */
function prefixCompressedBytes(keys: Buffer[]): number {
  keys.sort(Buffer.compare);
  let total = 0;
  let previous: Buffer = Buffer.alloc(0);
  for (const key of keys) {
    let shared = 0;
    const max = Math.min(key.length, previous.length);
    while (shared < max && key[shared] === previous[shared]) shared++;
    total += key.length - shared + RECORD_ID_BYTES;
    previous = key;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Measurement

interface IndexTally {
  info: IndexInfo;
  entries: number;
  keyBytes: number;
  /** Every key, for the prefix-compressed estimate; emptied once that is computed. */
  keys: Buffer[];
  compressedBytes: number;
}
interface CollectionTally {
  name: CollectionName;
  docs: number;
  bsonBytes: number;
  indexes: IndexTally[];
  byKind: Map<string, { docs: number; bsonBytes: number; entries: number; keyBytes: number }>;
}

async function measureCollection(
  connection: Connection,
  name: CollectionName,
  onDoc?: (doc: mongo.Document) => void,
): Promise<CollectionTally> {
  const collection = dbOf(connection).collection(name);
  const indexes = (await collection.indexes()).map((ix) => ({
    name: String(ix.name),
    key: ix.key as KeyPattern,
    unique: ix.unique === true,
  }));
  const tally: CollectionTally = {
    name,
    docs: 0,
    bsonBytes: 0,
    indexes: indexes.map((info) => ({ info, entries: 0, keyBytes: 0, keys: [], compressedBytes: 0 })),
    byKind: new Map(),
  };
  for await (const doc of collection.find({}, { batchSize: 2000 })) {
    const bytes = mongo.BSON.calculateObjectSize(doc);
    tally.docs++;
    tally.bsonBytes += bytes;
    let docEntries = 0;
    let docKeyBytes = 0;
    for (const ix of tally.indexes) {
      const keys = indexKeysOf(doc, ix.info);
      const entries = keys.length;
      const keyBytes = keys.reduce((sum, key) => sum + key.length + RECORD_ID_BYTES, 0);
      for (const key of keys) ix.keys.push(key);
      ix.entries += entries;
      ix.keyBytes += keyBytes;
      docEntries += entries;
      docKeyBytes += keyBytes;
    }
    if (name === 'events') {
      const kind = String(doc['kind']);
      const k = tally.byKind.get(kind) ?? { docs: 0, bsonBytes: 0, entries: 0, keyBytes: 0 };
      k.docs++;
      k.bsonBytes += bytes;
      k.entries += docEntries;
      k.keyBytes += docKeyBytes;
      tally.byKind.set(kind, k);
    }
    onDoc?.(doc);
  }
  for (const ix of tally.indexes) {
    ix.compressedBytes = prefixCompressedBytes(ix.keys);
    ix.keys = [];
  }
  return tally;
}

/** What the server itself reports; each command may be unsupported (FerretDB v1 lacks some). */
async function serverStats(connection: Connection, name: CollectionName): Promise<Record<string, string>> {
  const db = dbOf(connection);
  const out: Record<string, string> = {};
  try {
    const s = await db.command({ collStats: name });
    out['collStats'] =
      `size ${fmtMb(s['size'])}, storageSize ${fmtMb(s['storageSize'])}, totalIndexSize ${fmtMb(s['totalIndexSize'])}, avgObjSize ${s['avgObjSize']} B` +
      ` (indexes: ${Object.entries((s['indexSizes'] ?? {}) as Record<string, number>)
        .map(([ix, size]) => `\`${ix}\` ${fmtMb(size)}`)
        .join(', ')})`;
  } catch (error) {
    out['collStats'] = `not answered: ${(error as Error).message}`;
  }
  try {
    const [s] = await db
      .collection(name)
      .aggregate([{ $collStats: { storageStats: {}, count: {} } }])
      .toArray();
    const st = (s?.['storageStats'] ?? {}) as Record<string, unknown>;
    const wt = st['wiredTiger'] ? ', wiredTiger section present' : ', no wiredTiger section';
    out['$collStats'] =
      `count ${s?.['count'] ?? '-'}, storageStats.size ${fmtMb(st['size'])}, storageSize ${fmtMb(st['storageSize'])}, totalIndexSize ${fmtMb(st['totalIndexSize'])}${wt}`;
  } catch (error) {
    out['$collStats'] = `not answered: ${(error as Error).message}`;
  }
  try {
    const rows = await db
      .collection(name)
      .aggregate([{ $indexStats: {} }])
      .toArray();
    out['$indexStats'] = rows.map((r) => `${r['name']}: ${(r['accesses'] as { ops?: unknown } | undefined)?.ops ?? '?'} ops`).join(', ');
  } catch (error) {
    out['$indexStats'] = `not answered: ${(error as Error).message}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sessions as auth-api writes them (the seed has none)

function dbOf(connection: Connection): mongo.Db {
  if (!connection.db) throw new Error('the connection is not open');
  return connection.db;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function sessionDoc(
  connection: Connection,
  loginId: string,
  userId: mongo.ObjectId,
  at: Date,
  rotations: number,
  n: number,
): Promise<mongo.Document> {
  const Session = connection.model<SessionFields>(ModelName.Session);
  const rotatedHashes = Array.from({ length: rotations }, (_, k) => sha256(`${loginId}:${k}`));
  const doc = new Session({
    userId,
    family: createHash('sha256').update(`family:${loginId}`).digest().subarray(0, 16).toString('base64url'),
    tokenHash: sha256(`${loginId}:${rotations}`),
    rotatedHashes,
    rotation: rotations,
    // Sliding 14 days after the last use (the login day), within the 30-day maximum age.
    expiresAt: new Date(at.getTime() + 14 * DAY_MS),
    userAgent: USER_AGENT,
    ip: `198.51.100.${n % 250}`,
    createdAt: at,
    updatedAt: new Date(at.getTime() + rotations * 15 * 60_000),
  });
  await doc.validate();
  return doc.toBSON() as mongo.Document; // exactly what a save() would send
}

async function seedSessions(connection: Connection, cutoff: Date, rotations: number): Promise<number> {
  await connection.model(ModelName.Session).createIndexes();
  const sessions = dbOf(connection).collection('sessions');
  const logins = dbOf(connection)
    .collection('events')
    .find({ kind: EventKind.LoginSucceeded, at: { $gte: cutoff } }, { projection: { userId: 1, at: 1 } });
  let batch: mongo.Document[] = [];
  let count = 0;
  for await (const login of logins) {
    batch.push(await sessionDoc(connection, String(login._id), login['userId'] as mongo.ObjectId, login['at'] as Date, rotations, count++));
    if (batch.length === 2000) {
      await sessions.insertMany(batch, { ordered: false });
      batch = [];
    }
  }
  if (batch.length > 0) await sessions.insertMany(batch, { ordered: false });
  return count;
}

// ---------------------------------------------------------------------------------------------
// Output

function fmtMb(bytes: unknown): string {
  return typeof bytes === 'number' ? `${(bytes / MB).toFixed(2)} MB` : '-';
}
function num(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
function human(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 100 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}
function table(header: string[], rows: (string | number)[][], right = new Set<number>()): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const rule = `| ${header.map((_, i) => (right.has(i) ? '---:' : '---')).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

interface Cost {
  docs: number;
  bytes: number;
  entries: number;
  keyBytes: number;
  compressedBytes: number;
}

function costOf(tally: CollectionTally, kind?: string): Cost {
  const keyBytes = tally.indexes.reduce((sum, ix) => sum + ix.keyBytes, 0);
  const compressedBytes = tally.indexes.reduce((sum, ix) => sum + ix.compressedBytes, 0);
  const all = {
    docs: tally.docs,
    bytes: tally.bsonBytes,
    entries: tally.indexes.reduce((sum, ix) => sum + ix.entries, 0),
    keyBytes,
    compressedBytes,
  };
  if (!kind) return all;
  const k = tally.byKind.get(kind) ?? { docs: 0, bsonBytes: 0, entries: 0, keyBytes: 0 };
  // Compression is a property of the whole index; a kind gets the collection's ratio.
  return {
    docs: k.docs,
    bytes: k.bsonBytes,
    entries: k.entries,
    keyBytes: k.keyBytes,
    compressedBytes: k.keyBytes * (compressedBytes / Math.max(keyBytes, 1)),
  };
}

function scale(cost: Cost, factor: number): Cost {
  return {
    docs: cost.docs * factor,
    bytes: cost.bytes * factor,
    entries: cost.entries * factor,
    keyBytes: cost.keyBytes * factor,
    compressedBytes: cost.compressedBytes * factor,
  };
}

function add(...costs: Cost[]): Cost {
  return costs.reduce((a, b) => ({
    docs: a.docs + b.docs,
    bytes: a.bytes + b.bytes,
    entries: a.entries + b.entries,
    keyBytes: a.keyBytes + b.keyBytes,
    compressedBytes: a.compressedBytes + b.compressedBytes,
  }));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const database = await resolveDatabase({ log: (line) => process.stderr.write(`${line}\n`) });
  const dbName = `storage-report-${Date.now()}`;
  const target = await openTargetDatabase({ uri: database.uri, dbName, appName: 'storage-report', socketTimeoutMS: 0 }).catch(
    async (error: unknown) => {
      await database.stop();
      throw error;
    },
  );
  const { connection } = target;
  try {
    process.stderr.write(`seeding ${options.users} users over ${options.days} days into ${dbName} ...\n`);
    const seedStarted = Date.now();
    const seeded = await seedDatabase(connection, {
      users: options.users,
      days: options.days,
      seed: options.seed,
      until: options.until,
      password: DEFAULT_PASSWORD,
    });
    const endMs = parseDayKey(options.until).getTime() + DAY_MS;
    const sessionCount = await seedSessions(connection, new Date(endMs - options.sessionDays * DAY_MS), options.rotations);
    const seedMs = Date.now() - seedStarted;

    // Rates for the projection: the seeded behaviour of the last 28 days.
    const windowStart = endMs - 28 * DAY_MS;
    let userDaysInWindow = 0;
    let activeDaysInWindow = 0;
    let loginsInWindow = 0;
    const prefixCounts: number[] = [];
    const tallies = new Map<CollectionName, CollectionTally>();
    for (const name of COLLECTIONS) {
      process.stderr.write(`measuring ${name} ...\n`);
      const tally = await measureCollection(connection, name, (doc) => {
        if (name === 'users') {
          const created = (doc['createdAt'] as Date).getTime();
          userDaysInWindow += Math.max(0, (endMs - Math.max(created, windowStart)) / DAY_MS);
          prefixCounts.push((doc['searchPrefixes'] as string[] | undefined)?.length ?? 0);
        } else if (name === 'activities') {
          if (parseDayKey(doc['day'] as string).getTime() >= windowStart) activeDaysInWindow++;
        } else if (name === 'events') {
          if (doc['kind'] === EventKind.LoginSucceeded && (doc['at'] as Date).getTime() >= windowStart) loginsInWindow++;
        }
      });
      tallies.set(name, tally);
    }
    prefixCounts.sort((a, b) => a - b);
    const stats = new Map<CollectionName, Record<string, string>>();
    for (const name of COLLECTIONS) stats.set(name, await serverStats(connection, name));
    let dbStats: string;
    try {
      const s = await dbOf(connection).command({ dbStats: 1 });
      dbStats = `objects ${s['objects']}, dataSize ${fmtMb(s['dataSize'])}, storageSize ${fmtMb(s['storageSize'])}, indexSize ${fmtMb(s['indexSize'])}, totalSize ${fmtMb(s['totalSize'])}`;
    } catch (error) {
      dbStats = `not answered: ${(error as Error).message}`;
    }

    const t = (name: CollectionName) => tallies.get(name) as CollectionTally;
    const users = t('users').docs;
    const logins = t('events').byKind.get(EventKind.LoginSucceeded)?.docs ?? 0;
    const searchIndex = t('users').indexes.find((ix) => 'searchPrefixes' in ix.info.key);
    const R = new Set([1, 2, 3, 4, 5, 6, 7, 8]);
    const out: string[] = [];

    out.push(
      `Storage report, ${new Date().toISOString().slice(0, 10)}: backend ${database.backend}, server ${database.serverVersion}`,
      '',
      `Seed "${seeded.plan.seed}": ${num(seeded.plan.users)} users over ${seeded.plan.days} days (${seeded.plan.firstDay} … ${seeded.plan.until}); ` +
        `plus one session per LoginSucceeded of the last ${options.sessionDays} days (${num(sessionCount)}), ${options.rotations} rotations each. ` +
        `Seeded in ${(seedMs / 1000).toFixed(0)} s, whole run ${((Date.now() - started) / 1000).toFixed(0)} s.`,
      '',
      `Re-run: \`npx tsx --tsconfig tsconfig.base.json tools/storage-report.ts --users ${options.users} --days ${options.days} --seed ${options.seed} ` +
        `--until ${options.until} --session-days ${options.sessionDays} --rotations ${options.rotations}` +
        `${options.dailyActive === undefined ? '' : ` --daily-active ${options.dailyActive}`}\``,
      '',
      'Measured from the stored documents: BSON bytes; index entries from listIndexes and the data; key bytes estimated, uncompressed and prefix-compressed.',
      '',
      table(
        ['collection', 'docs', 'avg BSON B/doc', 'data', 'indexes', 'index entries', 'entries/doc', 'keys uncompr.', 'keys prefix-compr.'],
        COLLECTIONS.map((name) => {
          const c = costOf(t(name));
          const docs = Math.max(c.docs, 1);
          return [
            name,
            num(c.docs),
            num(c.bytes / docs),
            human(c.bytes),
            t(name).indexes.length,
            num(c.entries),
            num(c.entries / docs, 1),
            human(c.keyBytes),
            human(c.compressedBytes),
          ];
        }),
        R,
      ),
      '',
      table(
        ['index', 'entries', 'entries/doc', 'avg key B', 'uncompr.', 'prefix-compr.'],
        COLLECTIONS.flatMap((name) =>
          t(name).indexes.map((ix) => [
            `${name} \`${JSON.stringify(ix.info.key).replace(/"/g, '')}\`${ix.info.unique ? ' unique' : ''}`,
            num(ix.entries),
            num(ix.entries / Math.max(t(name).docs, 1), 1),
            num(ix.keyBytes / Math.max(ix.entries, 1)),
            human(ix.keyBytes),
            human(ix.compressedBytes),
          ]),
        ),
        R,
      ),
      '',
      `users.searchPrefixes per user: min ${prefixCounts[0]}, median ${prefixCounts[Math.floor(prefixCounts.length / 2)]}, ` +
        `p95 ${prefixCounts[Math.floor(prefixCounts.length * 0.95)]}, max ${prefixCounts[prefixCounts.length - 1]}, ` +
        `mean ${num(prefixCounts.reduce((a, b) => a + b, 0) / Math.max(prefixCounts.length, 1), 1)}`,
      '',
      table(
        ['events by kind', 'docs', 'per LoginSucceeded', 'avg BSON B', 'entries/doc', 'avg key B/doc'],
        [...t('events').byKind.entries()]
          .sort((a, b) => b[1].docs - a[1].docs)
          .map(([kind, k]) => [
            kind,
            num(k.docs),
            num(k.docs / Math.max(logins, 1), 3),
            num(k.bsonBytes / k.docs),
            num(k.entries / k.docs, 1),
            num(k.keyBytes / k.docs),
          ]),
        R,
      ),
      '',
      'What the server reports:',
      '',
      table(
        ['collection', 'command', 'answer'],
        COLLECTIONS.flatMap((name) => Object.entries(stats.get(name) ?? {}).map(([command, answer]) => [name, command, answer])),
      ),
      '',
      `dbStats: ${dbStats}`,
    );

    // Per user and per successful login.
    const perUser = { users: scale(costOf(t('users')), 1 / users), auth: scale(costOf(t('authenticationmethods')), 1 / users) };
    const perLogin = {
      succeeded: scale(costOf(t('events'), EventKind.LoginSucceeded), 1 / logins),
      events: scale(costOf(t('events')), 1 / logins),
      activities: scale(costOf(t('activities')), 1 / logins),
      session: scale(costOf(t('sessions')), 1 / Math.max(sessionCount, 1)),
    };
    const userTotal = add(perUser.users, perUser.auth);
    const loginTotal = add(perLogin.events, perLogin.activities, perLogin.session);
    const row = (unit: string, what: string, c: Cost, bold = false) => {
      const b = (text: string) => (bold ? `**${text}**` : text);
      return [
        unit,
        b(what),
        bold ? '' : num(c.docs, 2),
        b(num(c.bytes)),
        b(num(c.entries, 1)),
        b(num(c.keyBytes)),
        b(num(c.compressedBytes)),
      ];
    };
    out.push(
      '',
      table(
        ['unit', 'what', 'docs', 'BSON B', 'index entries', 'key B uncompr.', 'key B prefix-compr.'],
        [
          row('per user', 'users', perUser.users),
          row('per user', 'authenticationmethods', perUser.auth),
          row('per user', 'total', userTotal, true),
          row('per login', 'events: the LoginSucceeded itself', perLogin.succeeded),
          row('per login', 'events: all kinds per LoginSucceeded', perLogin.events),
          row('per login', 'activities (one per user-day)', perLogin.activities),
          row('per login', `sessions (one per login, ${options.rotations} rotations)`, perLogin.session),
          row('per login', 'total (all events + activity + session)', loginTotal, true),
        ],
        new Set([2, 3, 4, 5, 6]),
      ),
    );

    // One session at several rotation counts: rotatedHashes is a bounded multikey array.
    const sessionIndexes = t('sessions').indexes.map((ix) => ix.info);
    const sample = new mongo.ObjectId();
    const sessionRows: (string | number)[][] = [];
    for (const rotations of [0, 4, 32, MAX_ROTATED_HASHES]) {
      const doc = await sessionDoc(connection, `sample-${rotations}`, sample, new Date(endMs - DAY_MS), rotations, 1);
      const ix = sessionIndexes.map((info) => indexEntriesOf(doc, info));
      sessionRows.push([
        rotations,
        num(mongo.BSON.calculateObjectSize(doc)),
        ix.reduce((s, x) => s + x.entries, 0),
        num(ix.reduce((s, x) => s + x.keyBytes, 0)),
      ]);
    }
    out.push(
      '',
      table(
        ['session rotations (15 min of use each; 50 kept)', 'BSON B', 'index entries', 'key B uncompr.'],
        sessionRows,
        new Set([1, 2, 3]),
      ),
    );

    // Projection with the seed's own rates.
    const N = options.projectUsers;
    const seedDau = activeDaysInWindow / Math.max(userDaysInWindow, 1);
    const dau = options.dailyActive ?? seedDau;
    const loginsPerActiveDay = loginsInWindow / Math.max(activeDaysInWindow, 1);
    const eventsPerLogin = t('events').docs / Math.max(logins, 1);
    const loginsPerDay = N * dau * loginsPerActiveDay;
    const perEvent = scale(costOf(t('events')), 1 / t('events').docs);
    const perActivity = scale(costOf(t('activities')), 1 / t('activities').docs);
    const searchPerUser = searchIndex
      ? {
          entries: searchIndex.entries / users,
          keyBytes: searchIndex.keyBytes / users,
          compressedBytes: searchIndex.compressedBytes / users,
        }
      : { entries: 0, keyBytes: 0, compressedBytes: 0 };
    const projected = (what: string, count: number, c: { bytes?: number; keyBytes: number; compressedBytes: number }) => [
      what,
      num(count),
      c.bytes === undefined ? '' : human(count * c.bytes),
      human(count * c.keyBytes),
      human(count * c.compressedBytes),
    ];
    // Indexes led by userId take their inserts all over the key space, not at the right edge:
    // under a steady write load most of such an index stays in cache.
    const perUserKeyed = (name: CollectionName, docsPerYear: number) =>
      t(name)
        .indexes.filter((ix) => Object.keys(ix.info.key)[0] === 'userId')
        .map((ix) =>
          projected(`… of which ${name} \`${JSON.stringify(ix.info.key).replace(/"/g, '')}\` (a year)`, docsPerYear, {
            keyBytes: ix.keyBytes / t(name).docs,
            compressedBytes: ix.compressedBytes / t(name).docs,
          }),
        );
    const peakLoginsPerSecond = (loginsPerDay * options.peakHourShare) / 3600;
    out.push(
      '',
      `Projection to ${num(N)} users at the seed's last-28-day behaviour: ${num(dau * 100, 1)}% of users active per day` +
        `${options.dailyActive === undefined ? '' : ` (given; the seed's own: ${num(seedDau * 100, 1)}%)`}, ` +
        `${num(loginsPerActiveDay, 2)} logins per active user-day (${num(loginsPerDay)} logins/day), ${num(eventsPerLogin, 2)} events per successful login; ` +
        `every login a new session that lives ${options.sessionDays} days; ${num(options.peakHourShare * 100)}% of a day's logins in the busiest hour.`,
      '',
      table(
        ['what', 'documents', 'data (BSON)', 'index keys uncompr.', 'index keys prefix-compr.'],
        [
          projected('users', N, perUser.users),
          projected('… of which the searchPrefixes index (entries)', N * searchPerUser.entries, {
            keyBytes: searchPerUser.keyBytes / Math.max(searchPerUser.entries, 1),
            compressedBytes: searchPerUser.compressedBytes / Math.max(searchPerUser.entries, 1),
          }),
          projected('authenticationmethods', N, perUser.auth),
          projected('sessions alive', loginsPerDay * options.sessionDays, perLogin.session),
          projected('events per day', loginsPerDay * eventsPerLogin, perEvent),
          projected('events per year', loginsPerDay * eventsPerLogin * 365, perEvent),
          projected('activities per year', N * dau * 365, perActivity),
          ...perUserKeyed('events', loginsPerDay * eventsPerLogin * 365),
          ...perUserKeyed('activities', N * dau * 365),
        ],
        new Set([1, 2, 3, 4]),
      ),
      '',
      `Busiest hour: ${num(peakLoginsPerSecond, 1)} logins/s → ${num(peakLoginsPerSecond * eventsPerLogin, 1)} event inserts/s, ` +
        `${num(peakLoginsPerSecond, 1)} session inserts/s, ≤ ${num(peakLoginsPerSecond, 1)} activity upserts/s and ${num(peakLoginsPerSecond, 1)} user updates/s ` +
        `(≈ ${num(loginTotal.entries, 1)} new index entries per login, plus 3 changed per refresh).`,
    );
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    // A temporary FerretDB goes away with its directory; on a MONGODB_URI server only what we drop.
    await connection.db?.dropDatabase().catch(() => undefined);
    await target.close();
    await database.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`storage-report: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(1);
  },
);
