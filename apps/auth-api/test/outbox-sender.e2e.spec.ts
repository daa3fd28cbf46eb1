import { OutboxRepository } from '@directory/data-access';
import { EventKind, type OutboxMessageFields } from '@directory/schemas';
import { dropTestDatabase, freePort, startSmtpCatcher, testDatabase, type SmtpCatcher } from '@directory/testing';
import type { Types } from 'mongoose';
import { MailOutcome } from '../src/app/mail/outbox-sender';
import {
  enqueueFor,
  eventually,
  finished,
  outboxIdOf,
  recordLogs,
  ScriptedComposer,
  seedUser,
  startSenderApp,
  type SenderApp,
} from './support/outbox-harness';

/**
 * The outbox sender against a real database and a real SMTP server (smtp-server in this
 * process): retries, permanent failures, attempts, claims between replicas, compositions that
 * wait or void, unknown outcomes, and a replica without SMTP_URL.
 */
describe('auth-api: outbox sender', () => {
  const { uri, dbName } = testDatabase();
  const FAST = { OUTBOX_POLL_MS: '20', OUTBOX_BACKOFF_MS: '20' };
  const started: SenderApp[] = [];
  let catcher: SmtpCatcher | undefined;

  const start = async (env: Record<string, string>, composer = new ScriptedComposer()) => {
    const app = await startSenderApp(dbName, env, composer);
    started.push(app);
    return app;
  };
  const deliveriesOf = (id: Types.ObjectId) => (catcher?.all ?? []).filter((m) => outboxIdOf(m) === id.toHexString());
  /** The user's events of `kind`, once there are `count` (they are written just after the status). */
  const eventsOf = (app: SenderApp, kind: string, userId: Types.ObjectId, count = 1) =>
    eventually(`${count} ${kind} event(s)`, async () => {
      const found = await app.connection.collection('events').find({ kind, userId }).toArray();
      return found.length >= count ? found : undefined;
    });

  afterEach(async () => {
    for (const app of started.splice(0)) {
      await app.connection.collection('outboxmessages').deleteMany({});
      await app.connection.collection('outboxclaims').deleteMany({});
      await app.close();
    }
    await catcher?.close();
    catcher = undefined;
  });

  afterAll(() => dropTestDatabase(uri, dbName));

  it('delivers a message once: sent, attempt 1, stable Message-ID, MailSent event, metric, log line without content', async () => {
    catcher = await startSmtpCatcher();
    const logs = recordLogs();
    try {
      const t = await start({ ...FAST, SMTP_URL: catcher.url, MAIL_FROM: 'Directory <no-reply@mail.example.test>' });
      const user = await seedUser(t.connection);
      const id = await enqueueFor(t.outbox, user);
      t.sender.nudge();

      const done = await finished(t.connection, id);
      expect(done).toMatchObject({ status: 'sent', attempts: 1, sentAt: expect.any(Date), finishedAt: expect.any(Date) });
      const mail = await catcher.waitForMail((m) => m.to === user.email);
      expect(mail.messageId).toBe(`<${id.toHexString()}.1@mail.example.test>`);
      expect(mail.subject).toBe(`password-changed ${id.toHexString()}`);
      expect(catcher.received).toBe(1);

      expect(await eventsOf(t, EventKind.MailSent, user._id)).toEqual([
        expect.objectContaining({ template: 'password-changed', attempts: 1, cohortWeek: user.signupWeek }),
      ]);
      const metrics = await t.metrics();
      expect(metrics).toMatch(/auth_mail_messages_total\{template="password-changed",outcome="sent",service="auth-api"\} 1/);
      expect(metrics).toMatch(/auth_outbox_messages\{status="sent",service="auth-api"\} 1/);
      expect(metrics).toMatch(/auth_outbox_messages\{status="pending",service="auth-api"\} 0/);

      const senderLines = logs.lines().filter((l) => l.args[0] === 'OutboxSender');
      const sentLine = senderLines.find((l) => l.args[2] === 'outbox message sent');
      expect(sentLine?.args[1]).toMatchObject({ template: 'password-changed', messageId: id.toHexString(), attempt: 1, outcome: 'sent' });
      const logged = JSON.stringify(senderLines);
      expect(logged).not.toContain(`secret-${id.toHexString()}`); // the token
      expect(logged).not.toContain('Open '); // the body
    } finally {
      logs.restore();
    }
  });

  it('retries a transient refusal (421) with backoff: refused twice, then accepted → sent with attempts 3', async () => {
    catcher = await startSmtpCatcher({ reply: ({ n }) => (n <= 2 ? { code: 421, message: 'Try again later' } : undefined) });
    const t = await start({ ...FAST, SMTP_URL: catcher.url });
    const user = await seedUser(t.connection);
    const id = await enqueueFor(t.outbox, user);
    t.sender.nudge();

    expect(await finished(t.connection, id)).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(deliveriesOf(id).map((m) => m.accepted)).toEqual([false, false, true]);
    expect(catcher.messages.map((m) => m.messageId)).toEqual([`<${id.toHexString()}.3@directory.localhost>`]);
    expect(await t.metrics()).toMatch(/auth_mail_messages_total\{template="password-changed",outcome="retry",service="auth-api"\} 2/);
    expect(await eventsOf(t, EventKind.MailSent, user._id)).toEqual([expect.objectContaining({ attempts: 3 })]);
  });

  it('a permanent refusal (550) fails the message at once, with the reason, a metric and a MailFailed event', async () => {
    catcher = await startSmtpCatcher({ reply: () => ({ code: 550, message: 'No such mailbox here' }) });
    const t = await start({ ...FAST, SMTP_URL: catcher.url });
    const user = await seedUser(t.connection);
    const id = await enqueueFor(t.outbox, user);
    t.sender.nudge();

    const done = await finished(t.connection, id);
    expect(done).toMatchObject({ status: 'failed', attempts: 1, finishedAt: expect.any(Date) });
    expect(done.lastError).toMatch(/SMTP 550.*No such mailbox here/);
    expect(catcher.received).toBe(1);
    expect(await t.metrics()).toMatch(/auth_mail_messages_total\{template="password-changed",outcome="failed",service="auth-api"\} 1/);
    expect(await eventsOf(t, EventKind.MailFailed, user._id)).toEqual([
      expect.objectContaining({ template: 'password-changed', reason: expect.stringMatching(/SMTP 550/), cohortWeek: user.signupWeek }),
    ]);
  });

  it('gives up after OUTBOX_MAX_ATTEMPTS transient refusals', async () => {
    catcher = await startSmtpCatcher({ reply: () => ({ code: 451, message: 'Local problem' }) });
    const t = await start({ ...FAST, SMTP_URL: catcher.url, OUTBOX_MAX_ATTEMPTS: '3' });
    const id = await enqueueFor(t.outbox, await seedUser(t.connection));
    t.sender.nudge();

    const done = await finished(t.connection, id);
    expect(done).toMatchObject({ status: 'failed', attempts: 3 });
    expect(done.lastError).toMatch(/^gave up after 3 attempts: SMTP 451/);
    expect(catcher.received).toBe(3);
    expect(catcher.messages).toEqual([]);
  });

  it('no SMTP server listening is transient: nothing delivered, the attempts count, then failed', async () => {
    const t = await start({ ...FAST, SMTP_URL: `smtp://127.0.0.1:${await freePort()}`, OUTBOX_MAX_ATTEMPTS: '2' });
    const id = await enqueueFor(t.outbox, await seedUser(t.connection));
    t.sender.nudge();

    const done = await finished(t.connection, id);
    expect(done).toMatchObject({ status: 'failed', attempts: 2 });
    expect(done.lastError).toMatch(
      /^gave up after 2 attempts: .*ECONNREFUSED|^gave up after 2 attempts: ESOCKET|^gave up after 2 attempts: ECONNECTION/,
    );
  });

  it('a reply that never comes after the whole message was handed over is an unknown outcome: failed (interrupted), not retried', async () => {
    // OUTBOX_LEASE_SECONDS=1 → SMTP timeouts of 200 ms; the server holds its reply for 1 s.
    catcher = await startSmtpCatcher({ delayMs: 1_000 });
    const t = await start({ ...FAST, SMTP_URL: catcher.url, OUTBOX_LEASE_SECONDS: '1' });
    const id = await enqueueFor(t.outbox, await seedUser(t.connection));
    t.sender.nudge();

    const done = await finished(t.connection, id);
    expect(done).toMatchObject({ status: 'failed', attempts: 1 });
    expect(done.lastError).toMatch(/^interrupted: .*may or may not have been delivered/);
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // the held reply and any (wrong) retry
    expect(deliveriesOf(id)).toHaveLength(1);
  });

  it('two senders on one database deliver 30 messages exactly once each', async () => {
    catcher = await startSmtpCatcher();
    const composer = new ScriptedComposer();
    const [a, b] = await Promise.all([
      start({ ...FAST, SMTP_URL: catcher.url }, composer),
      start({ ...FAST, SMTP_URL: catcher.url }, composer),
    ]);
    expect(a.sender.id).not.toBe(b.sender.id);
    const user = await seedUser(a.connection);
    const ids = await Promise.all(Array.from({ length: 30 }, () => enqueueFor(a.outbox, user)));
    a.sender.nudge();
    b.sender.nudge();

    for (const id of ids) expect(await finished(a.connection, id, 30_000)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(catcher.received).toBe(30);
    expect(new Set(catcher.all.map(outboxIdOf))).toEqual(new Set(ids.map((id) => id.toHexString())));
    const claims = await a.connection.collection('outboxclaims').find().toArray();
    expect(claims).toHaveLength(30);
    // Both took part (each polls every 20 ms; 30 sends take far longer than one poll).
    expect(new Set(claims.map((c) => c['sender'])).size).toBe(2);
  });

  it('a `void` composition finishes the message unsent; `wait` looks again later without using an attempt', async () => {
    catcher = await startSmtpCatcher();
    const composer = new ScriptedComposer((message, call) => {
      if (message.to.startsWith('void')) return { outcome: 'void', reason: 'the change never happened' };
      if (message.to.startsWith('wait') && call <= 2) return { outcome: 'wait', reason: 'the change is not there yet' };
      return undefined;
    });
    const t = await start({ ...FAST, SMTP_URL: catcher.url }, composer);
    const user = await seedUser(t.connection);
    const voided = await enqueueFor(t.outbox, { ...user, email: `void-${user.email}` });
    const waited = await enqueueFor(t.outbox, { ...user, email: `wait-${user.email}` });
    t.sender.nudge();

    expect(await finished(t.connection, voided)).toMatchObject({ status: 'void', attempts: 1, lastError: 'the change never happened' });
    expect(await finished(t.connection, waited)).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(composer.calls.filter((c) => c === waited.toHexString())).toHaveLength(3);
    expect(deliveriesOf(voided)).toEqual([]);
    expect(catcher.messages.map((m) => m.messageId)).toEqual([`<${waited.toHexString()}.1@directory.localhost>`]);
    const metrics = await t.metrics();
    expect(metrics).toMatch(/outcome="void",service="auth-api"\} 1/);
    expect(metrics).toMatch(/outcome="wait",service="auth-api"\} 2/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await t.connection.collection('events').countDocuments({ kind: EventKind.MailFailed, userId: user._id })).toBe(0);
  });

  it('an attempt another sender claimed: left alone within the lease; past it, failed as interrupted and never sent again', async () => {
    catcher = await startSmtpCatcher();
    const t = await start({ ...FAST, SMTP_URL: catcher.url, OUTBOX_LEASE_SECONDS: '2' });
    const user = await seedUser(t.connection);
    const outbox = new OutboxRepository(t.connection);
    // Held until the other sender's claim is in: the running sender must not win attempt 1 first.
    const id = await enqueueFor(outbox, user, new Date(), new Date(Date.now() + 3_600_000));
    // A sender that claimed attempt 1 just now and died (or is still at it): same insert as the real one.
    expect(await outbox.claim(id, 1, 'dead-host:4242:cafe', new Date())).toBe(true);
    await outbox.markReady([id], new Date());
    t.sender.nudge();

    await new Promise((resolve) => setTimeout(resolve, 1_000)); // many polls, all within the lease
    expect(await t.connection.collection<OutboxMessageFields>('outboxmessages').findOne({ _id: id })).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    const done = await finished(t.connection, id);
    expect(done).toMatchObject({ status: 'failed', attempts: 1 });
    expect(done.lastError).toMatch(
      /^interrupted: attempt 1 by dead-host:4242:cafe got no outcome within 2 s; it may or may not have been delivered/,
    );
    expect(catcher.received).toBe(0);
    expect(await eventsOf(t, EventKind.MailFailed, user._id)).toHaveLength(1);
    expect(await t.metrics()).toMatch(new RegExp(`outcome="${MailOutcome.Failed}",service="auth-api"\\} 1`));
  });

  it('without SMTP_URL nothing is sent: one warning, the messages wait', async () => {
    const logs = recordLogs();
    try {
      const t = await start({ ...FAST });
      const id = await enqueueFor(t.outbox, await seedUser(t.connection));
      t.sender.nudge();
      await new Promise((resolve) => setTimeout(resolve, 300)); // 15 poll intervals
      expect(t.sender.running).toBe(false);
      expect(await t.connection.collection('outboxmessages').findOne({ _id: id })).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await t.connection.collection('outboxclaims').countDocuments()).toBe(0);
      const warnings = logs.lines().filter((l) => l.level === 'warn' && l.args[0] === 'OutboxSender');
      expect(warnings).toHaveLength(1);
      expect(String(warnings[0].args[1])).toMatch(/SMTP_URL is not set.*wait in the outbox/);
      expect(logs.lines().filter((l) => l.args[0] === 'OutboxSender' && l.level !== 'warn')).toEqual([]);
    } finally {
      logs.restore();
    }
  });

  it('waits for the delivery in flight when the app shuts down', async () => {
    catcher = await startSmtpCatcher({ delayMs: 400 });
    const t = await start({ ...FAST, SMTP_URL: catcher.url });
    const id = await enqueueFor(t.outbox, await seedUser(t.connection));
    t.sender.nudge();
    await eventually('the payload to arrive', async () => (catcher?.received ? true : undefined));
    started.splice(started.indexOf(t), 1);
    await t.app.close();
    expect(catcher.messages).toHaveLength(1); // the server's reply came before the app was closed
    const reader = await start({});
    expect(await reader.connection.collection('outboxmessages').findOne({ _id: id })).toMatchObject({ status: 'sent', attempts: 1 });
  });
});
