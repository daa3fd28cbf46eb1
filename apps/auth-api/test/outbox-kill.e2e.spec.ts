import { ConnectionRole, createConnection } from '@directory/connections';
import { OutboxRepository } from '@directory/data-access';
import { MailTemplate, type OutboxMessageFields } from '@directory/schemas';
import {
  authApiClient,
  dropTestDatabase,
  startServiceProcess,
  startSmtpCatcher,
  testDatabase,
  testEnv,
  type ServiceProcess,
  type SmtpCatcher,
} from '@directory/testing';
import { Types, type Connection } from 'mongoose';
import { eventually, outboxIdOf } from './support/outbox-harness';

/**
 * Issue 13, "Done when": the BUILT auth-api (`npx nx build auth-api`) delivers the outbox to a
 * real SMTP server; it is killed (SIGKILL) while a delivery is in flight and started again.
 * Every message then is either sent and delivered exactly once, or failed as interrupted and
 * delivered at most once: none lost, none duplicated. The server holds each DATA reply, so the
 * kill lands after a message reached the server and before the sender heard back.
 */
describe('auth-api process: killed during a delivery', () => {
  const { uri, dbName } = testDatabase();
  const NOTICES = 10;
  const KILL_AT_NOTICE = 3;
  let connection: Connection;
  let catcher: SmtpCatcher;
  const processes: ServiceProcess[] = [];
  let victim: ServiceProcess | undefined;
  const noticeIds = new Set<string>();
  let noticePayloads = 0;
  let killedDuring: string | undefined;

  beforeAll(async () => {
    connection = await createConnection(ConnectionRole.Fast, { uri, dbName, autoIndex: false });
    catcher = await startSmtpCatcher({
      delayMs: 150,
      reply: ({ messageId }) => {
        const id = /^<([0-9a-f]{24})\./.exec(messageId)?.[1];
        if (id && noticeIds.has(id) && ++noticePayloads === KILL_AT_NOTICE && victim) {
          killedDuring = id;
          void victim.stop('SIGKILL');
        }
        return undefined;
      },
    });
  });

  afterAll(async () => {
    for (const service of processes) await service.stop('SIGKILL');
    await catcher?.close();
    if (connection) {
      await dropTestDatabase(connection, dbName);
      await connection.close();
    }
  });

  // Lease 3 s → SMTP timeouts of 375 ms, above the 150 ms the server holds each reply.
  const env = () =>
    testEnv(dbName, {
      SMTP_URL: catcher.url,
      OUTBOX_LEASE_SECONDS: '3',
      OUTBOX_POLL_MS: '50',
      OUTBOX_BACKOFF_MS: '100',
      AUTH_THROTTLE_LIMIT: '100000',
    }) as Record<string, string>;

  const start = async () => {
    const service = await startServiceProcess('auth-api', { env: env() });
    processes.push(service);
    return service;
  };

  it('loses no message and delivers none twice', async () => {
    const first = await start();
    const client = authApiClient(first.url, connection);
    const users = await Promise.all(Array.from({ length: 5 }, () => client.register()));

    victim = first;
    const outbox = new OutboxRepository(connection);
    const ids: Types.ObjectId[] = [];
    for (let i = 0; i < NOTICES; i++) {
      const user = users[i % users.length];
      const id = await outbox.enqueue(
        {
          template: MailTemplate.EmailChangeNotice,
          to: user.email,
          userId: Types.ObjectId.createFromHexString(user.id),
          params: { fromEmail: user.email, toEmail: `new-${i}-${user.email}` },
        },
        new Date(),
      );
      noticeIds.add(id.toHexString());
      ids.push(id);
    }

    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(killedDuring).toBeDefined();
    const messages = connection.collection<OutboxMessageFields>('outboxmessages');
    // The message in flight is still pending: the dead process never heard the server's reply.
    expect(await messages.findOne({ _id: Types.ObjectId.createFromHexString(killedDuring as string) })).toMatchObject({
      status: 'pending',
    });
    const deliveredBeforeRestart = catcher.received;

    await start();
    await eventually(
      'no pending message',
      async () => ((await messages.countDocuments({ status: 'pending' })) === 0 ? true : undefined),
      60_000,
    );
    expect(catcher.received).toBeGreaterThan(deliveredBeforeRestart);

    const all = await messages.find().toArray();
    expect(all.length).toBeGreaterThanOrEqual(NOTICES);
    const payloadsOf = (id: string) => catcher.all.filter((m) => outboxIdOf(m) === id).length;
    const verdicts = all.map((m) => ({
      id: m._id.toHexString(),
      status: m.status,
      lastError: m.lastError ?? null,
      payloads: payloadsOf(m._id.toHexString()),
    }));
    for (const verdict of verdicts) {
      if (verdict.status === 'sent') expect(verdict).toMatchObject({ payloads: 1 });
      else
        expect(verdict).toMatchObject({
          status: 'failed',
          lastError: expect.stringMatching(/^interrupted: /),
          payloads: expect.any(Number),
        });
      expect(verdict.payloads).toBeLessThanOrEqual(1);
    }
    // The one killed in flight reached the server once, and is failed, not sent again.
    expect(verdicts.find((v) => v.id === killedDuring)).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/^interrupted: attempt 1 by .* got no outcome within 3 s; it may or may not have been delivered/),
      payloads: 1,
    });
    // Every notice is accounted for, and most were simply sent: at most OUTBOX_CONCURRENCY (4) were in flight when it died.
    expect(ids.every((id) => verdicts.some((v) => v.id === id.toHexString()))).toBe(true);
    expect(verdicts.filter((v) => noticeIds.has(v.id) && v.status === 'sent').length).toBeGreaterThanOrEqual(NOTICES - 4);
    // No Message-ID reached the server twice (a retry of the same attempt would repeat it; a second attempt would add one).
    const perMessage = new Map<string, number>();
    for (const mail of catcher.all) perMessage.set(outboxIdOf(mail), (perMessage.get(outboxIdOf(mail)) ?? 0) + 1);
    expect([...perMessage.values()].every((n) => n === 1)).toBe(true);
  });
});
