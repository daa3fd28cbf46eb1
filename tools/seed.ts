/**
 * `npm run seed -- --users N --days D --seed S`: deterministic demo data (libs/data-tools).
 * Without --uri / MONGODB_URI it resolves the same database `npm start` uses (embedded FerretDB
 * with its data in .data/ferretdb); while `npm start` runs, pass the URI it printed instead.
 */
import { runMain, runSeedCli, SEED_USAGE } from '@directory/data-tools';
import { startDevDatabase } from './dev-database';

runMain(
  () =>
    runSeedCli({
      argv: process.argv.slice(2),
      env: process.env,
      out: process.stdout,
      startDatabase: startDevDatabase,
    }),
  SEED_USAGE,
);
