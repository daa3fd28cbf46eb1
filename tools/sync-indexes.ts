/**
 * `npm run sync-indexes`: builds the indexes every schema declares, drops ones no schema
 * declares any more, and writes derived keys that users stored by an older version lack.
 * Production runs with autoIndex off and calls this on deploy.
 */
import { createConnection, syncAllIndexes, syncDerivedUserKeys } from '@directory/connections';
import { baseConfigSchema, exitOnStartupError, loadConfig, redactUri } from '@directory/platform';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(baseConfigSchema);
  } catch (error) {
    exitOnStartupError('sync-indexes', error);
  }
  const connection = await createConnection('fast', { uri: config.MONGODB_URI, dbName: config.MONGODB_DB, autoIndex: false, socketTimeoutMS: 0 }).catch(
    (error: unknown) => exitOnStartupError('sync-indexes', error, config.MONGODB_URI),
  );
  console.log(`Syncing indexes on ${redactUri(config.MONGODB_URI)} db=${config.MONGODB_DB}`);
  for (const result of await syncAllIndexes(connection)) {
    const dropped = result.dropped.length ? `; dropped ${result.dropped.join(', ')}` : '';
    console.log(`  ${result.model}: in sync${dropped}`);
  }
  console.log(`  derived user keys written for ${await syncDerivedUserKeys(connection)} older users`);
  await connection.close();
}

void main();
