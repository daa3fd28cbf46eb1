import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { exitWithParent } from './exit-with-parent';
import { processRunning, stoppedWithin } from './process-running';

describe('exitWithParent', () => {
  it('a server started with it stops (through its SIGTERM handler) once its launcher is killed with SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exit-with-parent-'));
    const marker = join(dir, 'drained');
    try {
      // The "server" records that it drained; the "launcher" starts it and prints its pid.
      const server = `process.on('SIGTERM', () => { require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'yes'); process.exit(0); }); setInterval(() => undefined, 1000);`;
      // What exitWithParent() gives a launcher, built inside the launcher process (its own pid).
      const args = JSON.stringify([...exitWithParent().args, '-e', server]);
      const launcher = `const c = require('node:child_process').spawn(process.execPath, ${args}, { stdio: ['ignore', 'ignore', require('node:fs').openSync(${JSON.stringify(join(dir, 'stderr'))}, 'w')], env: { ...process.env, DIRECTORY_LAUNCHER_PID: String(process.pid) } }); console.log('server-pid ' + c.pid); setInterval(() => undefined, 1000);`;
      const parent = spawn(process.execPath, ['-e', launcher], { stdio: ['ignore', 'pipe', 'inherit'] });
      const childPid = await new Promise<number>((resolve) =>
        // Its own line: whatever else the inherited environment makes node print comes first.
        createInterface({ input: parent.stdout as NodeJS.ReadableStream }).on('line', (line) => {
          const pid = /^server-pid (\d+)$/.exec(line)?.[1];
          if (pid) resolve(Number(pid));
        }),
      );
      const stderr = () => (existsSync(join(dir, 'stderr')) ? readFileSync(join(dir, 'stderr'), 'utf8') : '');
      expect([processRunning(childPid), stderr()]).toEqual([true, '']);

      // At once, possibly before the server has even loaded the preload: it must notice anyway.
      parent.kill('SIGKILL');
      expect(await stoppedWithin(childPid, 10_000)).toBe(true);
      // It went through its own SIGTERM handler: a drain, not a kill.
      expect(existsSync(marker) && readFileSync(marker, 'utf8')).toBe('yes');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
