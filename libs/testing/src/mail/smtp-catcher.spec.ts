import { createTransport } from 'nodemailer';
import { startSmtpCatcher, type SmtpCatcher } from './smtp-catcher';

function send(catcher: SmtpCatcher, to: string, subject: string, text: string) {
  const transport = createTransport(catcher.url);
  return transport.sendMail({ from: 'sender@example.test', to, subject, text, html: `<p>${text}</p>` }).finally(() => transport.close());
}

describe('startSmtpCatcher', () => {
  let catcher: SmtpCatcher | undefined;
  afterEach(async () => {
    await catcher?.close();
    catcher = undefined;
  });

  it('catches and parses a message sent over SMTP', async () => {
    catcher = await startSmtpCatcher();
    expect(catcher.url).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    const waiting = catcher.waitForMail((m) => m.subject === 'Reset');
    await send(catcher, 'Ada@Example.test', 'Reset', 'Open http://localhost:3000/account/reset-password#token=abc%2Bdef within an hour.');
    const mail = await waiting;
    expect(mail).toMatchObject({ to: 'ada@example.test', subject: 'Reset', accepted: true, n: 1 });
    expect(mail.links).toEqual(['http://localhost:3000/account/reset-password#token=abc%2Bdef']);
    expect(mail.html).toContain('<p>Open');
    expect(mail.messageId).toMatch(/^<.+>$/);
    expect(catcher.tokenFrom(mail)).toBe('abc+def');
    expect(catcher.received).toBe(1);
    catcher.clear();
    expect(catcher.messages).toEqual([]);
    expect(catcher.received).toBe(0);
  });

  it('refuses through reply: 421 and 550 reach the client, count in received but not in messages', async () => {
    catcher = await startSmtpCatcher({
      reply: ({ n }) => (n === 1 ? { code: 421, message: 'try later' } : n === 2 ? { code: 550, message: 'no such user' } : undefined),
    });
    await expect(send(catcher, 'a@example.test', 'one', 'x')).rejects.toMatchObject({ responseCode: 421 });
    await expect(send(catcher, 'a@example.test', 'two', 'x')).rejects.toMatchObject({ responseCode: 550 });
    await send(catcher, 'a@example.test', 'three', 'x');
    expect(catcher.received).toBe(3);
    expect(catcher.messages.map((m) => m.subject)).toEqual(['three']);
    expect(catcher.all.map((m) => [m.subject, m.accepted])).toEqual([
      ['one', false],
      ['two', false],
      ['three', true],
    ]);
    const caught = catcher;
    expect(() => caught.tokenFrom(caught.messages[0])).toThrow(/no #token= link/);
  });

  it('waitForMail rejects when nothing matches in time', async () => {
    catcher = await startSmtpCatcher();
    await expect(catcher.waitForMail(() => true, 50)).rejects.toThrow(/no matching mail within 50 ms/);
  });
});
