import { Logger, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConnectionRole, connectionToken } from '@directory/connections';
import { OutboxRepository, type StoredOutboxMessage } from '@directory/data-access';
import { loadConfig, PlatformModule, ServiceMetrics } from '@directory/platform';
import { MailTemplate, type OutboxMessageFields } from '@directory/schemas';
import { testEnv, type CaughtMail } from '@directory/testing';
import { Types, type Connection } from 'mongoose';
import { SERVICE_NAME } from '../../src/app/app.module';
import { MailComposer, type Composition } from '../../src/app/mail/mail-composer';
import { MailModule } from '../../src/app/mail/mail.module';
import { OutboxSender } from '../../src/app/mail/outbox-sender';
import { SettingsModule } from '../../src/app/settings.module';
import { configSchema } from '../../src/config';

/** A composer the test writes: by default every message is sent, with a link naming the message. */
export class ScriptedComposer extends MailComposer {
  readonly calls: string[] = [];

  constructor(private readonly decide: (message: StoredOutboxMessage, call: number) => Composition | undefined = () => undefined) {
    super();
  }

  async compose(message: StoredOutboxMessage): Promise<Composition> {
    const id = message._id.toHexString();
    this.calls.push(id);
    const decided = this.decide(message, this.calls.filter((c) => c === id).length);
    return (
      decided ?? {
        outcome: 'send',
        mail: {
          to: message.to,
          subject: `${message.template} ${id}`,
          text: `Open http://localhost:3000/account/x#token=secret-${id} now.`,
          html: `<p>Open <a href="http://localhost:3000/account/x#token=secret-${id}">the page</a> now.</p>`,
        },
      }
    );
  }
}

export interface SenderApp {
  app: INestApplication;
  sender: OutboxSender;
  outbox: OutboxRepository;
  connection: Connection;
  /** The app's /metrics text. */
  metrics(): Promise<string>;
  close(): Promise<void>;
}

/**
 * auth-api's MailModule (the real sender, repositories, events) on this file's database, with
 * the test's composer in place of the templates. Started like the app: the sender starts on
 * bootstrap when SMTP_URL is set.
 */
export async function startSenderApp(dbName: string, env: Record<string, string>, composer: MailComposer): Promise<SenderApp> {
  const config = loadConfig(configSchema, testEnv(dbName, env));
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forService({ service: SERVICE_NAME, config, roles: [ConnectionRole.Fast] }),
      SettingsModule.register(config),
      MailModule,
    ],
  })
    .overrideProvider(MailComposer)
    .useValue(composer)
    .compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true });
  await app.init();
  const metrics = app.get(ServiceMetrics);
  return {
    app,
    sender: app.get(OutboxSender),
    outbox: app.get(OutboxRepository),
    connection: app.get<Connection>(connectionToken(ConnectionRole.Fast)),
    metrics: () => metrics.registry.metrics(),
    close: () => app.close(),
  };
}

/** The outbox message a caught mail came from: its Message-ID is `<messageId.attempt@domain>`. */
export function outboxIdOf(mail: CaughtMail): string {
  const match = /^<([0-9a-f]{24})\.(\d+)@/.exec(mail.messageId);
  if (!match) throw new Error(`mail "${mail.subject}" has no outbox Message-ID (${mail.messageId})`);
  return match[1];
}

/** Polls until `check` returns a value (not undefined); fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Resolves once the message is no longer pending. */
export function finished(connection: Connection, id: Types.ObjectId, timeoutMs?: number): Promise<OutboxMessageFields> {
  return eventually(
    `message ${id.toHexString()} to leave pending`,
    async () => {
      const doc = await connection.collection<OutboxMessageFields>('outboxmessages').findOne({ _id: id });
      return doc && doc.status !== 'pending' ? doc : undefined;
    },
    timeoutMs,
  );
}

let users = 0;
/** A user row with what the sender reads of it (its signup week), written straight to the database. */
export async function seedUser(connection: Connection): Promise<{ _id: Types.ObjectId; email: string; signupWeek: string }> {
  users += 1;
  const user = { _id: new Types.ObjectId(), email: `outbox${users}-${process.pid}@example.com`, signupWeek: '2026-W48' };
  await connection.collection('users').insertOne({ ...user, status: 'active', name: { first: 'Ada', last: 'Lovelace' } });
  return user;
}

/** A notice message for the user (any template would do: the scripted composer decides). */
export function enqueueFor(
  outbox: OutboxRepository,
  user: { _id: Types.ObjectId; email: string },
  now = new Date(),
  notBefore = now,
): Promise<Types.ObjectId> {
  return outbox.enqueue(
    { template: MailTemplate.PasswordChanged, to: user.email, userId: user._id, params: { changedAt: now } },
    now,
    notBefore,
  );
}

/** Every call of Logger#warn / Logger#log while the test runs (Nest's logger, whatever it writes to). */
export function recordLogs(): { lines: () => { level: string; args: unknown[] }[]; restore: () => void } {
  const lines: { level: string; args: unknown[] }[] = [];
  const spies = (['log', 'warn', 'error'] as const).map((level) =>
    jest.spyOn(Logger.prototype, level).mockImplementation(function (this: Logger, ...args: unknown[]) {
      lines.push({ level, args: [(this as unknown as { context?: string }).context, ...args] });
    }),
  );
  return { lines: () => lines, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}
