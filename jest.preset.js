const nxPreset = require('@nx/jest/preset').default;
const path = require('node:path');

module.exports = {
  ...nxPreset,
  // Database suites start servers and hash passwords; no test asserts on time.
  testTimeout: 60_000,
  reporters: ['default', path.join(__dirname, 'tools/jest/summary-reporter.cjs')],
};
