import { ConnectionRole, createConnection } from '@directory/connections';
import { FactorSecretBox, FactorsRepository, StoredFactorType, factorKeyId, type SealedSecret } from '@directory/credentials';
import { resolveDatabase, type ResolvedDatabase } from '@directory/testing/resolve-database';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Types, type Connection } from 'mongoose';

const root = resolve(__dirname, '..');
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const keyC = randomBytes(32);

interface Run {
  code: number;
  output: string;
}

/** The tool as an operator runs it (`npm run factors:reseal`), against the test database. */
function reseal(db: ResolvedDatabase, dbName: string, env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [require.resolve('tsx/cli'), '--tsconfig', 'tsconfig.base.json', 'tools/reseal-factors.ts', ...args],
      { cwd: root, env: { PATH: process.env['PATH'] ?? '', MONGODB_URI: db.uri, MONGODB_DB: dbName, ...env } },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

const rotated = (current: Buffer, ...old: Buffer[]) => ({
  AUTH_FACTOR_ENCRYPTION_KEY: current.toString('base64'),
  AUTH_FACTOR_ENCRYPTION_KEYS_OLD: old.map((key) => `${factorKeyId(key)}:${key.toString('base64')}`).join(','),
});

describe('re-sealing TOTP seeds after a key rotation (tools/reseal-factors.ts)', () => {
  let db: ResolvedDatabase;
  let connection: Connection;
  let factors: FactorsRepository;
  let dbName: string;
  let run = 0;

  beforeAll(async () => {
    db = await resolveDatabase();
  }, 180_000);

  afterAll(async () => {
    await db?.stop();
  });

  beforeEach(async () => {
    dbName = `tools_reseal_${process.pid}_${++run}`;
    connection = await createConnection(ConnectionRole.Fast, { uri: db.uri, dbName, autoIndex: true }, FactorsRepository.schemas);
    factors = new FactorsRepository(connection);
  });

  afterEach(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  /** A TOTP factor whose seed is sealed with `key`; returns its id and seed. */
  async function enrolWith(key: Buffer, seed = randomBytes(20).toString('hex')): Promise<{ id: Types.ObjectId; seed: string }> {
    const id = new Types.ObjectId();
    const secret = new FactorSecretBox(key).seal(seed, id.toHexString());
    await factors.insertPending({
      _id: id,
      userId: new Types.ObjectId(),
      type: StoredFactorType.Totp,
      name: 'Phone',
      secret,
      createdAt: new Date(),
    });
    return { id, seed };
  }

  async function storedSecrets(): Promise<Map<string, SealedSecret>> {
    const page = await factors.sealedSecretsPage(StoredFactorType.Totp, null, 1000);
    return new Map(page.map((factor) => [factor._id.toHexString(), factor.secret]));
  }

  it('re-seals every seed sealed with the old key A under the current key B; afterwards B alone opens them all', async () => {
    const enrolled = [await enrolWith(keyA), await enrolWith(keyA), await enrolWith(keyA), await enrolWith(keyB)];

    const dry = await reseal(db, dbName, rotated(keyB, keyA), '--dry-run');
    expect(dry).toEqual({ code: 0, output: expect.stringContaining('would reseal: 3') });
    expect([...(await storedSecrets()).values()].map((secret) => secret.keyId).sort()).toEqual(
      [factorKeyId(keyA), factorKeyId(keyA), factorKeyId(keyA), factorKeyId(keyB)].sort(),
    );

    const first = await reseal(db, dbName, rotated(keyB, keyA));
    expect(first.code).toBe(0);
    expect(first.output).toContain('resealed: 3');
    expect(first.output).toContain('already current: 1');
    expect(first.output).toContain('unreadable, left untouched: 0');

    const onlyB = new FactorSecretBox(keyB);
    const stored = await storedSecrets();
    for (const { id, seed } of enrolled) {
      const secret = stored.get(id.toHexString()) as SealedSecret;
      expect(secret.keyId).toBe(factorKeyId(keyB));
      expect(onlyB.open(secret, id.toHexString())).toBe(seed);
    }
    // Nothing is left for a second run: the old key can go.
    const second = await reseal(db, dbName, rotated(keyB, keyA));
    expect(second.output).toContain('resealed: 0');
    expect(second.output).toContain('already current: 4');
  });

  it('reports a seed sealed with a key it does not have (and an altered one), leaves them untouched and exits non-zero', async () => {
    const stray = await enrolWith(keyC);
    const old = await enrolWith(keyA);
    // Sealed with a configured key, then altered (its tag belongs to another sealing).
    const altered = await enrolWith(keyA);
    const original = (await storedSecrets()).get(altered.id.toHexString()) as SealedSecret;
    const otherTag = new FactorSecretBox(keyA).seal(altered.seed, altered.id.toHexString()).tag;
    expect(await factors.replaceSecret(altered.id, original, { ...original, tag: otherTag })).toBe(true);
    const before = await storedSecrets();

    const result = await reseal(db, dbName, rotated(keyB, keyA));
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('resealed: 1');
    expect(result.output).toContain('unreadable, left untouched: 2');
    expect(result.output).toContain(`key ${factorKeyId(keyC)}: 1 (no such key configured`);
    expect(result.output).toContain(`key ${factorKeyId(keyA)}: 1 (the key is configured but the seed does not open`);

    const after = await storedSecrets();
    expect(after.get(stray.id.toHexString())).toEqual(before.get(stray.id.toHexString()));
    expect(after.get(altered.id.toHexString())).toEqual(before.get(altered.id.toHexString()));
    expect(new FactorSecretBox(keyB).open(after.get(old.id.toHexString()) as SealedSecret, old.id.toHexString())).toBe(old.seed);
  });

  it('writes a new sealing only over the exact value it read (compare-and-set)', async () => {
    const { id, seed } = await enrolWith(keyA);
    const read = (await storedSecrets()).get(id.toHexString()) as SealedSecret;
    const box = new FactorSecretBox(keyB, [keyA]);
    const concurrent = box.seal(seed, id.toHexString());

    expect(await factors.replaceSecret(id, read, concurrent)).toBe(true);
    // A second writer that read the same old value loses and changes nothing.
    expect(await factors.replaceSecret(id, read, box.seal(seed, id.toHexString()))).toBe(false);
    expect((await storedSecrets()).get(id.toHexString())).toEqual(concurrent);
  });
});
