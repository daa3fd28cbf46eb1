#!/usr/bin/env node
// Log hygiene: scans the JSON log lines a test run wrote (reports/logs/<run>/*.ndjson, see
// libs/testing/src/app/log-file.ts) for secrets that must never reach a log: access tokens
// (JWTs), password hashes (argon2, bcrypt), refresh tokens (43 base64url characters, see
// apps/auth-api/src/app/tokens/refresh-tokens.ts) and any secret-named field whose value is not
// the redaction marker. Prints how many lines it scanned and every finding as file:line with
// the value masked; exits 1 when anything was found.
//
//   node tools/jest/log-hygiene.cjs <dir or file>...
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** libs/platform REDACTION_CENSOR. */
const REDACTION_MARKER = '[redacted]';

const SECRET_KEYS = ['password', 'newPassword', 'currentPassword', 'secret', 'refreshToken', 'accessToken', 'authorization'];

/** Patterns that are a secret wherever they appear, in a value, a message or an error text. */
const VALUE_PATTERNS = [
  { kind: 'access token (JWT)', pattern: /eyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g },
  { kind: 'argon2 hash', pattern: /\$argon2(?:id|i|d)\$[^\s"\\]*/g },
  { kind: 'bcrypt hash', pattern: /\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{0,53}/g },
  // Exactly 43 base64url characters standing alone. Key ids (RFC 7638 thumbprints) have the
  // same shape and are public, so a match right after "kid" or "key" is not reported.
  { kind: 'refresh token', pattern: /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, skip: refreshTokenLookalike },
];

/**
 * A secret-named key followed by anything but the marker. The optional backslashes also find
 * such a key inside JSON text that was logged as a string (an error message quoting a body).
 */
const SECRET_FIELD = new RegExp(
  `\\\\?"(${SECRET_KEYS.join('|')})\\\\?"\\s*:\\s*(?!\\\\?"${escapeRegExp(REDACTION_MARKER)}\\\\?")(\\\\?"(?:[^"\\\\]|\\\\.)*\\\\?"|[^,}\\]\\s]+)`,
  'gi',
);

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function refreshTokenLookalike(line, index, match) {
  // Random 256 bits in 43 characters practically always mix cases and digits; words don't.
  if (!(/[a-z]/.test(match) && /[A-Z]/.test(match) && /[0-9]/.test(match))) return true;
  return /\b(kid|key)\b/i.test(line.slice(Math.max(0, index - 24), index));
}

/** `eyJhbGciOi…(412 chars)`: enough to find the line, too little to use. */
function mask(value) {
  const text = String(value);
  return text.length <= 8 ? '*'.repeat(text.length) : `${text.slice(0, 6)}…(${text.length} chars)`;
}

/** Findings of one line: `{ kind, masked }`. */
function scanLine(line) {
  const findings = [];
  for (const { kind, pattern, skip } of VALUE_PATTERNS) {
    pattern.lastIndex = 0;
    for (let m; (m = pattern.exec(line)); ) {
      if (skip && skip(line, m.index, m[0])) continue;
      findings.push({ kind, masked: mask(m[0]) });
    }
  }
  SECRET_FIELD.lastIndex = 0;
  for (let m; (m = SECRET_FIELD.exec(line)); ) {
    findings.push({ kind: `unredacted "${m[1]}" field`, masked: mask(m[2].replace(/^\\?"|\\?"$/g, '')) });
  }
  return findings;
}

function scanText(text, file = '<text>') {
  const findings = [];
  let lines = 0;
  text.split('\n').forEach((line, i) => {
    if (!line) return;
    lines += 1;
    for (const f of scanLine(line)) findings.push({ file, line: i + 1, ...f });
  });
  return { lines, findings };
}

function logFiles(target) {
  if (!fs.existsSync(target)) return [];
  if (!fs.statSync(target).isDirectory()) return [target];
  return fs
    .readdirSync(target, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? logFiles(path.join(target, entry.name))
        : /\.(nd)?json$|\.log$/.test(entry.name)
          ? [path.join(target, entry.name)]
          : [],
    )
    .sort();
}

function scanPaths(targets) {
  const result = { files: 0, lines: 0, findings: [] };
  for (const file of targets.flatMap(logFiles)) {
    const { lines, findings } = scanText(fs.readFileSync(file, 'utf8'), file);
    result.files += 1;
    result.lines += lines;
    result.findings.push(...findings);
  }
  return result;
}

/** The report printed by the CLI and tools/with-database.ts; `ok` is false when anything leaked. */
function report(result, { cwd = process.cwd(), limit = 50 } = {}) {
  const out = [];
  if (result.files === 0) {
    out.push('log hygiene: no log files were written (expected reports/logs/<run>/*.ndjson); nothing scanned');
    return { ok: false, text: out.join('\n') };
  }
  const where = (f) => `${path.relative(cwd, f.file) || f.file}:${f.line}`;
  if (result.findings.length === 0) {
    out.push(`log hygiene: scanned ${result.lines} log lines in ${result.files} files: no password, hash or token`);
    return { ok: true, text: out.join('\n') };
  }
  out.push(`log hygiene: FAILED: ${result.findings.length} secrets in ${result.lines} log lines (${result.files} files):`);
  for (const f of result.findings.slice(0, limit)) out.push(`  ${where(f)}  ${f.kind}: ${f.masked}`);
  if (result.findings.length > limit) out.push(`  … and ${result.findings.length - limit} more`);
  return { ok: false, text: out.join('\n') };
}

module.exports = { scanLine, scanText, scanPaths, report, mask, REDACTION_MARKER, SECRET_KEYS };

if (require.main === module) {
  const targets = process.argv.slice(2);
  if (targets.length === 0) {
    process.stderr.write('usage: node tools/jest/log-hygiene.cjs <log dir or file>...\n');
    process.exit(2);
  }
  const { ok, text } = report(scanPaths(targets));
  (ok ? process.stdout : process.stderr).write(text + '\n');
  process.exit(ok ? 0 : 1);
}
