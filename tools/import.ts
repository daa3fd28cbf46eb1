/**
 * `npm run import -- users.csv [--report rejected.ndjson]`: bulk user import (libs/data-tools).
 * Without --uri / MONGODB_URI it resolves the same database `npm start` uses (embedded FerretDB
 * with its data in .data/ferretdb); while `npm start` runs, pass the URI it printed instead.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { IMPORT_USAGE, runImportCli, runMain } from '@directory/data-tools';
import { resolveDatabase } from '../libs/testing/src/database/resolve-database';

const dataDir = join(resolve(__dirname, '..'), '.data', 'ferretdb');

runMain(
  () =>
    runImportCli({
      argv: process.argv.slice(2),
      env: process.env,
      out: process.stdout,
      startDatabase: () => {
        mkdirSync(dataDir, { recursive: true });
        return resolveDatabase({ dataDir, log: (line) => console.log(line) });
      },
    }),
  IMPORT_USAGE,
);
