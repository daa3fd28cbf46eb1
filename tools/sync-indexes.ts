/**
 * `npm run sync-indexes`: builds the indexes every schema declares, drops ones no schema
 * declares any more, and writes derived keys that users stored by an older version lack.
 * Production runs with autoIndex off and calls this on deploy: the image runs the build of it,
 * dist/tools/sync-indexes.js (`docker/entrypoint.sh sync-indexes`).
 */
import { ConnectionRole, createConnection, syncAllIndexes, syncDerivedUserKeys } from '@directory/connections';
import { EVERY_SCHEMA } from '@directory/credentials';
import { baseConfigSchema, exitOnStartupError, loadConfig, redactUri } from '@directory/platform';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(baseConfigSchema);
  } catch (error) {
    exitOnStartupError('sync-indexes', error);
  }
  // Every collection of the deployment, the secret-holding ones no service but auth-api compiles.
  const connection = await createConnection(
    ConnectionRole.Fast,
    { uri: config.MONGODB_URI, dbName: config.MONGODB_DB, autoIndex: false, socketTimeoutMS: 0 },
    EVERY_SCHEMA,
  ).catch((error: unknown) => exitOnStartupError('sync-indexes', error, config.MONGODB_URI));
  console.log(`Syncing indexes on ${redactUri(config.MONGODB_URI)} db=${config.MONGODB_DB}`);
  for (const result of await syncAllIndexes(connection, EVERY_SCHEMA)) {
    const dropped = result.dropped.length ? `; dropped ${result.dropped.join(', ')}` : '';
    console.log(`  ${result.model}: in sync${dropped}`);
  }
  console.log(`  derived user keys written for ${await syncDerivedUserKeys(connection)} older users`);
  await connection.close();
}

void main();
