#!/usr/bin/env node
/**
 * `npm audit --omit=dev` for CI: fails on any high or critical advisory in what ships.
 * When the registry's advisory endpoint cannot be reached (some mirrors answer 405), there is
 * no result to judge: it says so on one line and does not pretend the audit passed.
 */
const { spawnSync } = require('node:child_process');

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  report = undefined;
}

const counts = report?.metadata?.vulnerabilities;
if (!counts) {
  const reason = report?.error?.summary || report?.message || (run.stderr || 'no output').trim().split('\n').pop();
  console.log(`npm audit: NOT RUN, the advisory endpoint did not answer (${reason})`);
  process.exit(process.env.DIRECTORY_REQUIRE_AUDIT === '1' ? 1 : 0);
}

const serious = Object.entries(report.vulnerabilities ?? {})
  .filter(([, v]) => v.severity === 'high' || v.severity === 'critical')
  .map(([name, v]) => `${name} (${v.severity}, ${v.range})`);
console.log(`npm audit --omit=dev: ${counts.critical} critical, ${counts.high} high, ${counts.moderate} moderate, ${counts.low} low`);
if (serious.length > 0) {
  console.log(`high or critical advisories in production dependencies:\n  ${serious.join('\n  ')}`);
  process.exit(1);
}
