#!/usr/bin/env node
// Prints one line for all Jest projects of a run from reports/jest/*.json (written by
// summary-reporter.cjs) and exits 1 when anything failed or no project reported at all.
// `--reset` deletes old reports; run it before the tests so a stale file cannot pass.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { workspaceRoot } = require('./workspace-root.cjs');

const dir = path.join(workspaceRoot(), 'reports', 'jest');

if (process.argv.includes('--reset')) {
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

const files = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];
if (files.length === 0) {
  console.log(`no Jest reports in ${path.relative(process.cwd(), dir) || dir}: did the tests run?`);
  process.exit(1);
}

const reports = files.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
const total = (key) => reports.reduce((sum, r) => sum + (r[key] || 0), 0);
const passed = total('numPassedTests');
const failed = total('numFailedTests');
const skipped = total('numPendingTests');
const broken = reports.filter((r) => !r.success && !r.numFailedTests).map((r) => r.project);

let line = `${passed} passed, ${failed} failed`;
if (skipped) line += `, ${skipped} skipped`;
console.log(line);
// A suite that failed to load counts no failed test; name it so the exit code makes sense.
if (broken.length) console.log(`failed without a failing test (load error?): ${broken.join(', ')}`);
process.exit(failed > 0 || reports.some((r) => !r.success) ? 1 : 0);
