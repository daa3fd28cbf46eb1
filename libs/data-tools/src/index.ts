export { mulberry32, hashSeed, deriveSeed, Prng } from './lib/shared/prng';
export { seededObjectId, IdTag } from './lib/shared/object-id';
export { createProgress, silentProgress, type Progress, type ProgressTask } from './lib/shared/progress';
export {
  openTargetDatabase,
  ensureIndexes,
  DEFAULT_DB_NAME,
  type StartedDatabase,
  type TargetDatabase,
} from './lib/shared/target-database';
export { runMain, UsageError } from './lib/shared/cli-args';
export {
  AdaptiveBatchSize,
  BatchTimeoutError,
  batchPolicy,
  isTimeoutError,
  nextBatchSizing,
  timeoutRemedy,
  writeAdaptively,
  type BatchDescription,
  type BatchPolicy,
  type BatchSizing,
  type BatchStats,
} from './lib/shared/adaptive-batch';

export { buildOrgTree, type OrgTree } from './lib/seed/org-tree';
export { buildSeedPlan, defaultUntil, type SeedPlan, type SeedShape } from './lib/seed/seed-plan';
export {
  seedDatabase,
  SeedConflictError,
  DEFAULT_PASSWORD,
  DEFAULT_BATCH_SIZE,
  AUTH_API_ARGON2,
  type Argon2Parameters,
  type SeedOptions,
  type SeedResult,
} from './lib/seed/seed-run';
export { runSeedCli, argon2FromEnv, SEED_USAGE, type CliContext } from './lib/seed/seed-cli';

export { parseCsv, CsvFormatError, type CsvRecord } from './lib/import/csv';
export { readLines } from './lib/import/ndjson';
export { passwordHashScheme, type HashScheme } from './lib/import/password-hash';
export { IMPORT_COLUMNS, parseRecord, validateUser, type ParsedRow, type UserInput } from './lib/import/import-rows';
export { readRows, formatOf, InputFileError, type InputFormat, type SourceRow } from './lib/import/row-source';
export { ImportReport, type ReportEntry } from './lib/import/import-report';
export { importUsers, DEFAULT_IMPORT_BATCH_SIZE, type ImportOptions, type ImportResult } from './lib/import/import-users';
export { runImportCli, IMPORT_USAGE } from './lib/import/import-cli';
export { ensureDemoDirectory, DEMO_SHAPE, type DemoDirectory, type DemoOptions } from './lib/seed/demo-directory';
