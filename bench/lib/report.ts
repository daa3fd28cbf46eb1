import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineInfo } from './machine';
import type { Scale } from './environment';
import { backendLabel, compareBackends, isFerretDbBackend, normalizeBackend } from './backends';

export interface Ratio {
  label: string;
  value: number;
  /** How to read it, e.g. "ours / baseline throughput; 1.0 = as fast as the baseline". */
  meaning: string;
}

/** What a benchmark hands back: a table, its ratios, and what a reader must know to trust them. */
export interface BenchmarkOutcome {
  columns: string[];
  rows: (string | number)[][];
  ratios: Ratio[];
  notes: string[];
  raw?: unknown;
}

export interface BenchmarkRecord extends BenchmarkOutcome {
  name: string;
  title: string;
  method: string;
  date: string;
  machine: MachineInfo;
  /**
   * The resolver's backend: uri, testcontainers, mongodb-memory-server, ferretdb-postgres,
   * ferretdb-sqlite; results written before FerretDB on PostgreSQL existed say `ferretdb` (SQLite).
   */
  backend: string;
  serverVersion: string;
  scale: Scale;
}

/** Two decimals, or "n/a" for a ratio that could not be measured (stored as null in JSON). */
export function formatRatio(value: number | null): string {
  return value !== null && Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}

export const RESULTS_DIR = join(__dirname, '..', 'results');

function cell(value: string | number): string {
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 2);
}

/** A plain text table for the terminal. */
export function textTable(columns: string[], rows: (string | number)[][]): string {
  const cells = [columns, ...rows.map((row) => row.map(cell))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row.map((value, i) => (i === 0 ? value.padEnd(widths[i] ?? 0) : value.padStart(widths[i] ?? 0))).join('  ');
  return [line(cells[0] as string[]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function printRecord(record: BenchmarkRecord): void {
  console.log(`\n== ${record.title} ==`);
  console.log(textTable(record.columns, record.rows));
  for (const ratio of record.ratios) console.log(`ratio  ${ratio.label}: ${formatRatio(ratio.value)}  (${ratio.meaning})`);
  for (const note of record.notes) console.log(`note   ${note}`);
}

/** bench/results/<name>.<backend>.json: one file per benchmark and backend, the latest run of each. */
export function resultPath(name: string, backend: string): string {
  return join(RESULTS_DIR, `${name}.${normalizeBackend(backend)}.json`);
}

export function saveRecord(record: BenchmarkRecord): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = resultPath(record.name, record.backend);
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
  // Results from before --backend were one file per benchmark (bench/results/<name>.json); once a
  // newer run on the same backend exists, that file only repeats older numbers.
  const legacy = join(RESULTS_DIR, `${record.name}.json`);
  if (existsSync(legacy)) {
    const old = JSON.parse(readFileSync(legacy, 'utf8')) as BenchmarkRecord;
    if (normalizeBackend(old.backend) === normalizeBackend(record.backend)) rmSync(legacy);
  }
  return path;
}

/** Every result file, backends normalized, the latest per (benchmark, backend). */
export function loadRecords(dir = RESULTS_DIR): BenchmarkRecord[] {
  const latest = new Map<string, BenchmarkRecord>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const record = JSON.parse(readFileSync(join(dir, file), 'utf8')) as BenchmarkRecord;
    record.backend = normalizeBackend(record.backend);
    const key = `${record.name}\0${record.backend}`;
    const seen = latest.get(key);
    if (!seen || seen.date < record.date) latest.set(key, record);
  }
  return [...latest.values()];
}

function markdownTable(columns: string[], rows: (string | number)[][]): string {
  const header = `| ${columns.join(' | ')} |`;
  // Numbers right-aligned, text left-aligned.
  const numeric = columns.map((_, i) => rows.some((row) => typeof row[i] === 'number'));
  const rule = `| ${numeric.map((right) => (right ? '---:' : '---')).join(' | ')} |`;
  return [header, rule, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
}

/**
 * One table for several backends' runs of a benchmark: rows matched by their first cell, and
 * every other column once per backend, next to each other (`p99 ms · sqlite`, `p99 ms · postgres`).
 * Columns are matched by name, so a record with a column more (a newer version of the benchmark)
 * leaves the others' cells empty.
 */
export function sideBySide(records: BenchmarkRecord[]): { columns: string[]; rows: (string | number)[][] } {
  const [first] = records;
  if (!first) return { columns: [], rows: [] };
  if (records.length === 1) return { columns: first.columns, rows: first.rows };
  const metrics: string[] = [];
  const keys: string[] = [];
  for (const record of records) {
    for (const column of record.columns.slice(1)) if (!metrics.includes(column)) metrics.push(column);
    for (const row of record.rows) if (!keys.includes(String(row[0]))) keys.push(String(row[0]));
  }
  const columns = [first.columns[0] ?? '', ...metrics.flatMap((metric) => records.map((r) => `${metric} · ${backendLabel(r.backend)}`))];
  const rows = keys.map((key) => [
    key,
    ...metrics.flatMap((metric) =>
      records.map((r) => {
        const row = r.rows.find((candidate) => String(candidate[0]) === key);
        const index = r.columns.indexOf(metric);
        return row && index > 0 ? (row[index] ?? '') : '';
      }),
    ),
  ]);
  return { columns, rows };
}

const ORDER = ['search', 'slow-trains', 'pagination', 'login'];

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

function scaleText(scale: Scale): string {
  return `${scale.users.toLocaleString('en-US')} users, ${days(scale.days)}, ${scale.duration} s per run, ${scale.connections} connections`;
}

/** docs/benchmarks.md from the latest result of every benchmark on every backend in bench/results. */
export function writeMarkdown(path: string, records = loadRecords()): void {
  const names = [...new Set(records.map((r) => r.name))].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  const byName = new Map(
    names.map((name) => [name, records.filter((r) => r.name === name).sort((a, b) => compareBackends(a.backend, b.backend))]),
  );
  const backends = [...new Set(records.map((r) => r.backend))].sort(compareBackends);
  const servers = backends.map((backend) => {
    const versions = [...new Set(records.filter((r) => r.backend === backend).map((r) => r.serverVersion))];
    return `\`${backendLabel(backend)}\` = ${backend}, ${versions.join(' / ')}`;
  });
  const lines = [
    '# Benchmarks',
    '',
    '<!-- Generated by bench/run.ts from bench/results/*.json; do not edit by hand. -->',
    '',
    'Run with `npx tsx --tsconfig tsconfig.base.json bench/run.ts [search|slow-trains|pagination|login ...] [--backend sqlite,postgres,uri]`',
    '(`npm run bench`). Each benchmark resolves its own database (the same resolver as the tests), seeds it',
    'with libs/data-tools, starts the services it needs from `dist/`, and runs contender and baseline in the',
    'same run with [autocannon](https://github.com/mcollina/autocannon). Numbers from one machine are only',
    'comparable with each other; the ratios are the point.',
    '',
    ...(backends.length > 1
      ? [
          'Backends stand side by side: the same code, benchmark and machine on each database the run was given',
          "(`--backend`). What changes from one column to the next is the database's share of a figure; what stays",
          "is the code's. Compare columns only where the scale line of both says the same.",
          '',
        ]
      : []),
    `Backends: ${servers.join('; ')}.`,
    '',
    ...(backends.some(isFerretDbBackend)
      ? [
          '> **Backend caveat.** `sqlite` and `postgres` are FerretDB v1.24, the fallback of machines without Docker or a',
          '> mongod binary. Its SQLite backend pushes no filter but `_id` down to SQLite; its PostgreSQL backend pushes',
          '> equality filters into PostgreSQL but uses no secondary index either (`explain()` shows a scan): every login,',
          '> search and page reads the whole collection and sorts in memory, so latencies grow with the data and ratios',
          '> reflect FerretDB as much as the design. For numbers about the design run with `--backend uri` and',
          '> `MONGODB_URI` (a MongoDB replica set), or with Docker available.',
          '',
        ]
      : []),
    '## Summary',
    '',
    markdownTable(
      ['benchmark', 'ratio', ...backends.map(backendLabel)],
      names.flatMap((name) => {
        const group = byName.get(name) ?? [];
        const labels = [...new Set(group.flatMap((r) => r.ratios.map((ratio) => ratio.label)))];
        return labels.map((label) => [
          group[0]?.title ?? name,
          label,
          ...backends.map((backend) => {
            const ratio = group.find((r) => r.backend === backend)?.ratios.find((candidate) => candidate.label === label);
            return ratio ? formatRatio(ratio.value) : '';
          }),
        ]);
      }),
    ),
    '',
    markdownTable(
      ['benchmark', ...backends.map(backendLabel)],
      names.map((name) => [
        byName.get(name)?.[0]?.title ?? name,
        ...backends.map((backend) => {
          const r = byName.get(name)?.find((candidate) => candidate.backend === backend);
          return r ? `${r.date.slice(0, 10)}, ${r.scale.users.toLocaleString('en-US')} users, ${days(r.scale.days)}` : '';
        }),
      ]),
    ),
    '',
  ];
  for (const name of names) {
    const group = byName.get(name) ?? [];
    const newest = group.reduce((a, b) => (a.date >= b.date ? a : b));
    const table = sideBySide(group);
    const tag = (r: BenchmarkRecord) => (group.length > 1 ? `*${backendLabel(r.backend)}:* ` : '');
    const ratioLabels = [...new Set(group.flatMap((r) => r.ratios.map((ratio) => ratio.label)))];
    lines.push(`## ${newest.title}`, '');
    for (const r of group) {
      lines.push(
        `- ${tag(r)}${r.date} · ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.ramGiB} GiB RAM, ${r.machine.os} · ` +
          `${r.backend} ${r.serverVersion} · Node ${r.machine.node} · ${scaleText(r.scale)}`,
      );
    }
    lines.push('', newest.method, '', markdownTable(table.columns, table.rows), '');
    for (const label of ratioLabels) {
      const values = group.flatMap((r) => {
        const ratio = r.ratios.find((candidate) => candidate.label === label);
        return ratio ? [{ r, ratio }] : [];
      });
      const shown = values
        .map(({ r, ratio }) => `${group.length > 1 ? `${backendLabel(r.backend)} ` : ''}${formatRatio(ratio.value)}`)
        .join(' · ');
      lines.push(`- **${label}: ${shown}** — ${values[0]?.ratio.meaning ?? ''}`);
    }
    for (const r of group) for (const note of r.notes) lines.push(`- ${tag(r)}${note}`);
    lines.push('');
  }
  writeFileSync(path, lines.join('\n'));
}
