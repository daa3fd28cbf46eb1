import { freePort } from '@directory/testing';
import { processRunning, stoppedWithin } from '@directory/testing/process-running';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createTransport } from 'nodemailer';
import { assertPortFree, mailPortsFromEnv, startMailCatcher, type MailCatcher } from './mail-catcher';

const root = resolve(__dirname, '..');

/** The development inbox `npm start` runs (maildev), started for real on free ports. */
describe('the development mail inbox (tools/mail-catcher.ts)', () => {
  let catcher: MailCatcher | undefined;

  afterEach(async () => {
    await catcher?.stop();
    catcher = undefined;
  });

  it('answers SMTP and serves its inbox; a message sent to it is in the inbox', async () => {
    const [smtpPort, webPort] = [await freePort(), await freePort()];
    catcher = await startMailCatcher({ smtpPort, webPort });
    expect(catcher.smtpUrl).toBe(`smtp://127.0.0.1:${smtpPort}`);
    expect(catcher.inboxUrl).toBe(`http://localhost:${webPort}`);

    const transport = createTransport(catcher.smtpUrl);
    await transport.sendMail({ from: 'directory@example.com', to: 'ada@example.com', subject: 'Inbox check', text: 'hello' });
    transport.close();
    const inbox = (await (await fetch(`http://127.0.0.1:${webPort}/api/email`)).json()) as Array<{ subject: string }>;
    expect(inbox.map((mail) => mail.subject)).toEqual(['Inbox check']);

    const pid = catcher.child.pid;
    await catcher.stop();
    expect(processRunning(pid)).toBe(false);
  }, 60_000);

  it('refuses a taken port with a sentence naming the variable to change', async () => {
    const blocker = createServer();
    const taken = await freePort();
    await new Promise<void>((done) => blocker.listen(taken, '127.0.0.1', done));
    try {
      await expect(assertPortFree(taken, 'the mail inbox SMTP port, MAIL_SMTP_PORT', 'MAIL_SMTP_PORT')).rejects.toThrow(
        `Port ${taken} (the mail inbox SMTP port, MAIL_SMTP_PORT) is taken by another program. Stop that program, pick another port (MAIL_SMTP_PORT=<port> npm start)`,
      );
      await expect(startMailCatcher({ smtpPort: await freePort(), webPort: taken })).rejects.toThrow(/MAIL_WEB_PORT=<port>/);
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  });

  it('reads its ports from MAIL_SMTP_PORT and MAIL_WEB_PORT, defaults 1025 and 1080', () => {
    expect(mailPortsFromEnv({})).toEqual({ smtpPort: 1025, webPort: 1080 });
    expect(mailPortsFromEnv({ MAIL_SMTP_PORT: '2525', MAIL_WEB_PORT: '8025' })).toEqual({ smtpPort: 2525, webPort: 8025 });
    expect(() => mailPortsFromEnv({ MAIL_WEB_PORT: 'http' })).toThrow('MAIL_WEB_PORT must be a port number (1-65535), not "http"');
  });

  it('does not outlive a launcher killed with SIGKILL', async () => {
    const [smtpPort, webPort] = [await freePort(), await freePort()];
    // A launcher like `npm start`: starts the inbox, prints maildev's pid, then idles.
    const script = [
      `const { startMailCatcher } = require(${JSON.stringify(join(root, 'tools/mail-catcher.ts'))});`,
      `startMailCatcher({ smtpPort: ${smtpPort}, webPort: ${webPort} }).then((c) => { console.log('maildev-pid ' + c.child.pid); setInterval(() => undefined, 1000); });`,
    ].join('\n');
    // One process (tsx as a loader, not its CLI, which would run the script in a child of its own).
    const launcher = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.base.json') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const pid = await new Promise<number>((done, fail) => {
      launcher.once('exit', (code) => fail(new Error(`launcher exited (${code}) before starting the inbox`)));
      createInterface({ input: launcher.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        const found = /^maildev-pid (\d+)$/.exec(line)?.[1];
        if (found) done(Number(found));
      });
    });
    expect(processRunning(pid)).toBe(true);
    launcher.kill('SIGKILL');
    expect(await stoppedWithin(pid, 15_000)).toBe(true);
    // Its ports are free again: the next `npm start` finds them.
    await expect(assertPortFree(smtpPort, 'smtp', 'MAIL_SMTP_PORT')).resolves.toBeUndefined();
  }, 60_000);
});
