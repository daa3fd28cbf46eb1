import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { exitWithParent } from './exit-with-parent';

/** Running: signal 0 reaches it and it is not a zombie (an orphan's exit may never be reaped here). */
function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('exitWithParent', () => {
  it('a server started with it stops (through its SIGTERM handler) once its launcher is killed with SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exit-with-parent-'));
    const marker = join(dir, 'drained');
    try {
      // The "server" records that it drained; the "launcher" starts it and prints its pid.
      const server = `process.on('SIGTERM', () => { require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'yes'); process.exit(0); }); setInterval(() => undefined, 1000);`;
      // What exitWithParent() gives a launcher, built inside the launcher process (its own pid).
      const args = JSON.stringify([...exitWithParent().args, '-e', server]);
      const launcher = `const c = require('node:child_process').spawn(process.execPath, ${args}, { stdio: 'ignore', env: { ...process.env, DIRECTORY_LAUNCHER_PID: String(process.pid) } }); console.log(c.pid); setInterval(() => undefined, 1000);`;
      const parent = spawn(process.execPath, ['-e', launcher], { stdio: ['ignore', 'pipe', 'inherit'] });
      const childPid = await new Promise<number>((resolve) =>
        createInterface({ input: parent.stdout as NodeJS.ReadableStream }).once('line', (line) => resolve(Number(line))),
      );
      expect(alive(childPid)).toBe(true);

      // At once, possibly before the server has even loaded the preload: it must notice anyway.
      parent.kill('SIGKILL');
      const deadline = Date.now() + 10_000;
      while (alive(childPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(alive(childPid)).toBe(false);
      // It went through its own SIGTERM handler: a drain, not a kill.
      expect(existsSync(marker) && readFileSync(marker, 'utf8')).toBe('yes');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
