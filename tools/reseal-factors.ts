/**
 * `npm run factors:reseal [-- --dry-run]`: after AUTH_FACTOR_ENCRYPTION_KEY was rotated (the new key
 * current, the previous one in AUTH_FACTOR_ENCRYPTION_KEYS_OLD), seals every TOTP seed still
 * sealed with an old key again under the current one, so the old key can then be dropped.
 *
 * Reads MONGODB_URI, MONGODB_DB and both key variables as auth-api does (the current key is
 * required here: no development fallback, a re-seal under a well-known key would be worse than
 * none). Each write is a compare-and-set on the whole sealed value it read: a secret that changed
 * or a factor deleted meanwhile is left alone and counted. A seed no configured key opens (an
 * unknown key id, or altered) is reported with its key id, never touched, and the exit code is 1.
 * Safe to run again: a second run finds everything current.
 */
import { parseArgs } from 'node:util';
import type { Types } from 'mongoose';
import { z } from 'zod';
import { ConnectionRole, createConnection } from '@directory/connections';
import {
  FactorSecretBox,
  FactorSecretError,
  FactorsRepository,
  StoredFactorType,
  decodeFactorKey,
  parseOldFactorKeys,
  factorKeySetting,
  oldFactorKeysSetting,
} from '@directory/credentials';
import { createProgress, type Progress } from '@directory/data-tools';
import { baseConfigSchema, exitOnStartupError, loadConfig, redactUri } from '@directory/platform';

const PAGE = 500;

export interface ResealCounts {
  /** Sealed with an old key and written again under the current one (in a dry run: would be). */
  resealed: number;
  alreadyCurrent: number;
  /** Changed or deleted between read and write (a concurrent writer won): left as it is. */
  changedMeanwhile: number;
  /** Secrets no configured key opens, by the key id they name. */
  unknownKey: Record<string, number>;
  /** Secrets whose key is configured but which do not open (altered, or copied onto another factor), by key id. */
  damaged: Record<string, number>;
}

export const unreadableCount = (counts: ResealCounts): number =>
  [...Object.values(counts.unknownKey), ...Object.values(counts.damaged)].reduce((sum, n) => sum + n, 0);

const bump = (tally: Record<string, number>, keyId: string) => (tally[keyId] = (tally[keyId] ?? 0) + 1);

export async function resealFactorSecrets(
  factors: FactorsRepository,
  box: FactorSecretBox,
  options: { dryRun: boolean; progress: Progress },
): Promise<ResealCounts> {
  const counts: ResealCounts = { resealed: 0, alreadyCurrent: 0, changedMeanwhile: 0, unknownKey: {}, damaged: {} };
  const task = options.progress.task('TOTP seeds', await factors.countOfType(StoredFactorType.Totp), 'seeds');
  let seen = 0;
  let after: Types.ObjectId | null = null;
  for (;;) {
    const page = await factors.sealedSecretsPage(StoredFactorType.Totp, after, PAGE);
    if (page.length === 0) break;
    for (const { _id, secret } of page) {
      const context = _id.toHexString();
      let seed: string;
      try {
        seed = box.open(secret, context);
      } catch (error) {
        if (!(error instanceof FactorSecretError)) throw error;
        bump(box.knowsKey(secret.keyId) ? counts.damaged : counts.unknownKey, secret.keyId);
        continue;
      }
      if (!box.isStale(secret)) counts.alreadyCurrent++;
      else if (options.dryRun) counts.resealed++;
      else if (await factors.replaceSecret(_id, secret, box.seal(seed, context))) counts.resealed++;
      else counts.changedMeanwhile++;
    }
    seen += page.length;
    // Factors enrolled during the run raise the total the bar started with.
    task.setTotal(Math.max(seen, await factors.countOfType(StoredFactorType.Totp)));
    task.increment(page.length);
    after = page[page.length - 1]?._id ?? null;
  }
  return counts;
}

const toolConfigSchema = baseConfigSchema.extend({
  AUTH_FACTOR_ENCRYPTION_KEY: z.string({ message: 'is required: the key to seal under (32 random bytes, base64)' }).pipe(factorKeySetting),
  AUTH_FACTOR_ENCRYPTION_KEYS_OLD: oldFactorKeysSetting,
});

function describe(tally: Record<string, number>, why: string): string[] {
  return Object.entries(tally).map(([keyId, n]) => `    key ${keyId}: ${n} (${why})`);
}

export function report(counts: ResealCounts, currentKeyId: string, dryRun: boolean): string {
  const unreadable = unreadableCount(counts);
  return [
    `  ${dryRun ? 'would reseal' : 'resealed'}: ${counts.resealed} (now under key ${currentKeyId})`,
    `  already current: ${counts.alreadyCurrent}`,
    ...(counts.changedMeanwhile > 0 ? [`  changed or removed meanwhile, left as they are: ${counts.changedMeanwhile}`] : []),
    `  unreadable, left untouched: ${unreadable}`,
    ...describe(counts.unknownKey, 'no such key configured: add it to AUTH_FACTOR_ENCRYPTION_KEYS_OLD and run again'),
    ...describe(counts.damaged, 'the key is configured but the seed does not open: altered'),
  ].join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false } }, strict: true });
  const dryRun = values['dry-run'] === true;
  let config;
  try {
    config = loadConfig(toolConfigSchema);
  } catch (error) {
    exitOnStartupError('factors:reseal', error);
  }
  const old = config.AUTH_FACTOR_ENCRYPTION_KEYS_OLD ? parseOldFactorKeys(config.AUTH_FACTOR_ENCRYPTION_KEYS_OLD) : { keys: [] };
  const box = new FactorSecretBox(decodeFactorKey(config.AUTH_FACTOR_ENCRYPTION_KEY) as Buffer, 'keys' in old ? old.keys : []);
  const connection = await createConnection(
    ConnectionRole.Fast,
    { uri: config.MONGODB_URI, dbName: config.MONGODB_DB, autoIndex: false, socketTimeoutMS: 0 },
    FactorsRepository.schemas,
  ).catch((error: unknown) => exitOnStartupError('factors:reseal', error, config.MONGODB_URI));
  console.log(
    `Re-sealing TOTP seeds under key ${box.currentKeyId} on ${redactUri(config.MONGODB_URI)} db=${config.MONGODB_DB}${dryRun ? ' (dry run: nothing is written)' : ''}`,
  );
  const progress = createProgress();
  let counts: ResealCounts;
  try {
    counts = await resealFactorSecrets(new FactorsRepository(connection), box, { dryRun, progress });
  } finally {
    progress.stop();
    await connection.close();
  }
  console.log(report(counts, box.currentKeyId, dryRun));
  return unreadableCount(counts) > 0 ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`factors:reseal: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
