// Jest reporter: writes reports/jest/<project>.json with this run's counts, so a wrapper
// that runs many projects (nx run-many) can print one total with tools/jest/summarize.cjs.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { workspaceRoot } = require('./workspace-root.cjs');

function displayName(config) {
  const name = config && config.displayName;
  return typeof name === 'string' ? name : name && name.name;
}

function projectName(config, root) {
  const named = displayName(config);
  if (named) return named;
  return path.relative(root, config.rootDir).replace(/[^A-Za-z0-9._-]+/g, '_') || 'root';
}

function counts(project, testResults) {
  const sum = (key) => testResults.reduce((total, r) => total + (r[key] || 0), 0);
  const numPassedTests = sum('numPassingTests');
  const numFailedTests = sum('numFailingTests');
  const numPendingTests = sum('numPendingTests') + sum('numTodoTests');
  // A file that fails to load has no failing test but a testExecError / failureMessage.
  const brokenFiles = testResults.filter((r) => r.testExecError || (r.failureMessage && !r.numFailingTests)).length;
  return {
    project,
    numPassedTests,
    numFailedTests,
    numPendingTests,
    numTotalTests: numPassedTests + numFailedTests + numPendingTests,
    success: numFailedTests === 0 && brokenFiles === 0,
  };
}

class SummaryReporter {
  onRunComplete(testContexts, results) {
    const root = workspaceRoot();
    const outDir = path.join(root, 'reports', 'jest');
    fs.mkdirSync(outDir, { recursive: true });
    const configs = [...testContexts].map((context) => context.config);
    // Usually one project per Jest run (nx runs each separately); with several, split by project.
    for (const config of configs.length ? configs : [{ rootDir: process.cwd() }]) {
      const mine =
        configs.length <= 1
          ? results.testResults
          : results.testResults.filter((r) =>
              displayName(config) ? displayName(r) === displayName(config) : r.testFilePath.startsWith(config.rootDir + path.sep),
            );
      // A second run of a project on another backend (CI's SQLite step) keeps its own file.
      const variant = process.env.DIRECTORY_REPORT_VARIANT ? `.${process.env.DIRECTORY_REPORT_VARIANT}` : '';
      const report = counts(`${projectName(config, root)}${variant}`, mine);
      if (configs.length <= 1 && (results.runExecError || results.snapshot.failure)) report.success = false;
      fs.writeFileSync(path.join(outDir, `${report.project}.json`), JSON.stringify(report, null, 2) + '\n');
    }
  }
}

module.exports = SummaryReporter;
