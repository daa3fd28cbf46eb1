/**
 * Peak memory of a whole process tree, e.g. the stack a benchmark or seed starts (the three
 * services, FerretDB and its PostgreSQL cluster):
 *
 *   npx tsx --tsconfig tsconfig.base.json bench/stack-memory.ts --pid <root pid> [--every 500] [--csv samples.csv]
 *
 * Samples every descendant of <pid> (and <pid> itself) until it exits or Ctrl-C, then prints the
 * peak of the summed PSS (proportional set size: pages shared between processes, such as
 * PostgreSQL's shared buffers, are split between them instead of counted once per process, as
 * summed RSS would) and the peak per kind of process. Linux only (/proc/<pid>/smaps_rollup).
 * --csv writes every sample (time, total and per kind, KiB), to split the peak by phase.
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { processRunning } from '@directory/testing/process-running';

interface Proc {
  pid: number;
  ppid: number;
  kind: string;
}

function arg(name: string, fallback?: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses; the fields after the last ')' do not.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.push({ pid: Number(entry), ppid, kind: kindOf(cmdline) });
    } catch {
      // gone between readdir and read
    }
  }
  return out;
}

function kindOf(cmdline: string): string {
  const app = /dist\/apps\/([\w-]+)\//.exec(cmdline)?.[1];
  if (app) return app;
  // By the program, not the arguments (a bench run's own command line says "--backend postgres").
  const program = cmdline.split(' ')[0] ?? '';
  if (program.endsWith('directory-ferretdb')) return 'ferretdb';
  if (program.endsWith('/postgres') || program.startsWith('postgres:')) return 'postgresql';
  return 'other (launcher, seeder, load generator)';
}

function pssKiB(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function tree(root: number): Proc[] {
  const all = processes();
  const inTree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
        inTree.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => inTree.has(p.pid));
}

const root = Number(arg('pid'));
if (!root) {
  console.error('usage: tsx --tsconfig tsconfig.base.json bench/stack-memory.ts --pid <root pid> [--every ms]');
  process.exit(2);
}
const every = Number(arg('every', '500'));
const csv = arg('csv');
let peakTotal = 0;
let peakAt = '';
const peakByKind = new Map<string, number>();

function sample(): void {
  const byKind = new Map<string, number>();
  for (const p of tree(root)) byKind.set(p.kind, (byKind.get(p.kind) ?? 0) + pssKiB(p.pid));
  const total = [...byKind.values()].reduce((a, b) => a + b, 0);
  if (total > peakTotal) {
    peakTotal = total;
    peakAt = new Date().toISOString();
  }
  for (const [kind, kib] of byKind) peakByKind.set(kind, Math.max(peakByKind.get(kind) ?? 0, kib));
  if (csv) {
    const kinds = [...byKind].map(([kind, kib]) => `${kind}=${kib}`).join(';');
    appendFileSync(csv, `${new Date().toISOString()},${total},${kinds}\n`);
  }
}

function report(): never {
  const mib = (kib: number) => (kib / 1024).toFixed(0).padStart(6);
  console.log(`peak PSS of the tree under pid ${root}: ${mib(peakTotal).trim()} MiB (at ${peakAt})`);
  for (const [kind, kib] of [...peakByKind].sort((a, b) => b[1] - a[1])) console.log(`  ${mib(kib)} MiB  ${kind} (its own peak)`);
  process.exit(0);
}

process.on('SIGINT', report);
process.on('SIGTERM', report);
const timer = setInterval(() => {
  if (!processRunning(root)) {
    clearInterval(timer);
    report();
  }
  sample();
}, every);
