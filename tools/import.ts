/**
 * `npm run import -- users.csv [--report rejected.ndjson] [--invite [--invited-by admin@…]]`: bulk
 * user import (libs/data-tools); --invite creates the users as invited and queues their invitation mails.
 * Without --uri / MONGODB_URI it resolves the same database `npm start` uses (embedded FerretDB
 * with its data in .data/ferretdb); while `npm start` runs, pass the URI it printed instead.
 */
import { IMPORT_USAGE, runImportCli, runMain } from '@directory/data-tools';
import { startDevDatabase } from './dev-database';

runMain(
  () =>
    runImportCli({
      argv: process.argv.slice(2),
      env: process.env,
      out: process.stdout,
      startDatabase: startDevDatabase,
    }),
  IMPORT_USAGE,
);
