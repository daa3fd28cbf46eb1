import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { OutboxRepository, UsersRepository, type StoredOutboxMessage } from '@directory/data-access';
import { ServiceMetrics } from '@directory/platform';
import { OutboxStatus, type MailTemplate } from '@directory/schemas';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Counter, Gauge } from 'prom-client';
import { AuthSettings, type MailSettings } from '../auth-settings';
import { Clock } from '../clock';
import { AuthEvents } from '../events/auth-events.service';
import { MailComposer, type Composition } from './mail-composer';
import { SmtpTransport, type SmtpOutcome } from './smtp-transport';

/** Due messages read per round. */
const BATCH = 20;
/** A `wait` composition is looked at again after this long (capped by OUTBOX_BACKOFF_MS). */
const WAIT_RETRY_MS = 2_000;

/** Every way one look at a due message can end (the `outcome` label of auth_mail_messages_total). */
export const MailOutcome = {
  Sent: 'sent',
  /** A transient failure: tried again later. */
  Retry: 'retry',
  /** Refused for good, attempts exhausted, or interrupted (its delivery's fate unknown). */
  Failed: 'failed',
  /** Nothing to send: the change it announced never happened or moved on. */
  Void: 'void',
  /** The change may still appear: looked at again soon, not counted as an attempt. */
  Wait: 'wait',
} as const;
export type MailOutcome = (typeof MailOutcome)[keyof typeof MailOutcome];

/** `failed` reasons start with this when an attempt got no outcome: it may have been delivered, so it is never retried. */
export const INTERRUPTED = 'interrupted';

/** Retry delay after failed attempt `attempt` (1-based): base · 2^(attempt-1), ±20 % jitter. */
export function backoffMs(base: number, attempt: number, random: () => number = Math.random): number {
  const plain = base * 2 ** Math.min(attempt - 1, 20);
  return Math.round(plain * (0.8 + 0.4 * random()));
}

/**
 * Delivers the outbox (see docs/decisions.md "Mail delivery"). Each attempt of each message is
 * claimed first with a unique insert (`<messageId>:<attempt>`), so of several replicas exactly one
 * makes it. An attempt that got no outcome within OUTBOX_LEASE_SECONDS was interrupted (its
 * sender died during the delivery): the message may or may not have arrived, so it is marked
 * failed, never attempted again — a message is delivered at most once.
 */
@Injectable()
export class OutboxSender implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  /** host:pid:random, in each claim. */
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly logger = new Logger('OutboxSender');
  private readonly settings: MailSettings;
  private readonly outcomes: Counter<'template' | 'outcome'>;
  private transport?: SmtpTransport;
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private again = false;
  private stopping = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly users: UsersRepository,
    private readonly events: AuthEvents,
    private readonly composer: MailComposer,
    private readonly clock: Clock,
    settings: AuthSettings,
    metrics: ServiceMetrics,
  ) {
    this.settings = settings.mail;
    this.outcomes = new Counter({
      name: 'auth_mail_messages_total',
      help: 'Outbox messages looked at by the sender, by template and outcome (sent, retry, failed, void, wait)',
      labelNames: ['template', 'outcome'],
      registers: [metrics.registry],
    });
    const byStatus: Gauge<'status'> = new Gauge({
      name: 'auth_outbox_messages',
      help: 'Outbox messages by status (pending ones wait for delivery or for SMTP_URL)',
      labelNames: ['status'],
      registers: [metrics.registry],
      collect: async () => {
        try {
          const counts = await this.outbox.countByStatus();
          for (const status of Object.values(OutboxStatus)) byStatus.set({ status }, counts[status] ?? 0);
        } catch {
          // the database is away: the last values stay, /health says why
        }
      },
    });
  }

  /** Whether this replica delivers (SMTP_URL is set). */
  get running(): boolean {
    return this.transport !== undefined && !this.stopping;
  }

  onApplicationBootstrap(): void {
    const url = this.settings.smtpUrl;
    if (!url) {
      this.logger.warn('SMTP_URL is not set: no mail is sent; messages wait in the outbox until a replica with SMTP_URL delivers them');
      return;
    }
    this.transport = new SmtpTransport(url, this.settings.from, this.settings.leaseSeconds);
    this.logger.log({ sender: this.id, pollMs: this.settings.pollMs }, 'outbox sender started');
    this.schedule(0);
  }

  /** Look for due messages now (called right after a message is enqueued). Never throws. */
  nudge(): void {
    if (!this.running) return;
    if (this.round) this.again = true;
    else this.schedule(0);
  }

  onModuleDestroy(): void {
    this.stopping = true;
    clearTimeout(this.timer);
  }

  /** Waits for the delivery in flight (connections close after this). */
  async beforeApplicationShutdown(): Promise<void> {
    this.onModuleDestroy();
    await this.round;
    this.transport?.close();
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopping) return;
    this.timer = setTimeout(() => this.tick(), ms);
  }

  private tick(): void {
    if (this.round || this.stopping) return;
    this.again = false;
    this.round = this.deliverDue()
      .catch((error: unknown) => this.logger.warn({ err: errorText(error) }, 'outbox round failed; trying again at the next poll'))
      .finally(() => {
        this.round = undefined;
        this.schedule(this.again ? 0 : this.settings.pollMs);
      });
  }

  /**
   * One round: due messages, oldest first, OUTBOX_CONCURRENCY at a time (each is a few database
   * round trips and an SMTP conversation; claims keep concurrent deliveries apart).
   */
  private async deliverDue(): Promise<void> {
    const due = await this.outbox.due(this.clock.now(), BATCH);
    let claimed = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < due.length && !this.stopping) {
        if (await this.deliver(due[next++] as StoredOutboxMessage)) claimed += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, due.length) }, worker));
    if (this.stopping) return;
    // A full batch may hide more due messages: look again at once, unless every one was another sender's.
    if (due.length === BATCH && claimed > 0) this.again = true;
  }

  /** False when another sender holds the attempt. */
  private async deliver(message: StoredOutboxMessage): Promise<boolean> {
    const attempt = message.attempts + 1;
    if (!(await this.outbox.claim(message._id, attempt, this.id, this.clock.now()))) {
      await this.checkInterrupted(message, attempt);
      return false;
    }
    await this.attempt(message, attempt);
    return true;
  }

  private async attempt(message: StoredOutboxMessage, attempt: number): Promise<void> {
    let composition: Composition;
    try {
      composition = await this.composer.compose(message, this.clock.now());
    } catch (error) {
      // Nothing was sent; the attempt counts (a composer that keeps failing ends in `failed`).
      await this.transientFailure(message, attempt, `compose failed: ${errorText(error)}`);
      return;
    }
    if (composition.outcome === 'void') {
      await this.outbox.finish(message._id, OutboxStatus.Void, attempt, composition.reason, this.clock.now(), message.attempts);
      this.outcome(message, attempt, MailOutcome.Void, composition.reason);
      return;
    }
    if (composition.outcome === 'wait') {
      // Not an attempt: give the claim back and look again soon with the same attempt number.
      await this.outbox.release(message._id, attempt, this.id);
      const next = new Date(this.clock.now().getTime() + Math.min(WAIT_RETRY_MS, this.settings.backoffMs));
      await this.outbox.scheduleRetry(message._id, message.attempts, next, `waiting: ${composition.reason}`, message.attempts);
      this.outcome(message, attempt, MailOutcome.Wait, composition.reason);
      return;
    }
    const transport = this.transport;
    if (!transport) throw new Error('OutboxSender delivers only once started with SMTP_URL');
    const result: SmtpOutcome = await transport.send({
      ...composition.mail,
      messageId: `<${message._id.toHexString()}.${attempt}@${transport.domain}>`,
    });
    const now = this.clock.now();
    switch (result.kind) {
      case 'sent':
        await this.outbox.markSent(message._id, attempt, now);
        this.outcome(message, attempt, MailOutcome.Sent, result.response);
        await this.userEvent(message, (user) => this.events.mailSent(message.template, user, attempt, now));
        return;
      case 'permanent':
        await this.failed(message, attempt, result.reason);
        return;
      case 'unknown':
        await this.failed(message, attempt, `${INTERRUPTED}: ${result.reason}; it may or may not have been delivered`);
        return;
      case 'transient':
        await this.transientFailure(message, attempt, result.reason);
        return;
    }
  }

  private async transientFailure(message: StoredOutboxMessage, attempt: number, reason: string): Promise<void> {
    if (attempt >= this.settings.maxAttempts) {
      await this.failed(message, attempt, `gave up after ${attempt} attempts: ${reason}`);
      return;
    }
    const next = new Date(this.clock.now().getTime() + backoffMs(this.settings.backoffMs, attempt));
    await this.outbox.scheduleRetry(message._id, attempt, next, reason, message.attempts);
    this.outcome(message, attempt, MailOutcome.Retry, reason);
  }

  private async failed(message: StoredOutboxMessage, attempt: number, reason: string): Promise<void> {
    const now = this.clock.now();
    await this.outbox.finish(message._id, OutboxStatus.Failed, attempt, reason, now, message.attempts);
    this.outcome(message, attempt, MailOutcome.Failed, reason);
    await this.userEvent(message, (user) => this.events.mailFailed(message.template, user, reason, now));
  }

  /**
   * Another sender holds this attempt. Within the lease it is still at work; past it, with the
   * message unchanged, that sender died during the attempt and nobody knows whether the mail
   * went out: the message fails (never retried, so never duplicated). The verdict itself is a
   * claim of the next attempt, so one replica records it.
   */
  private async checkInterrupted(message: StoredOutboxMessage, attempt: number): Promise<void> {
    const claim = await this.outbox.findClaim(message._id, attempt);
    const now = this.clock.now();
    if (!claim || now.getTime() - claim.at.getTime() < this.settings.leaseSeconds * 1000) return;
    const current = await this.outbox.findById(message._id);
    if (!current || current.status !== OutboxStatus.Pending || current.attempts !== message.attempts) return;
    if (!(await this.outbox.claim(message._id, attempt + 1, this.id, now))) return;
    await this.failed(
      message,
      attempt,
      `${INTERRUPTED}: attempt ${attempt} by ${claim.sender} got no outcome within ${this.settings.leaseSeconds} s; it may or may not have been delivered`,
    );
  }

  /** Log line and metric of one outcome: template, message id, attempt, outcome, reason; never content or token. */
  private outcome(message: StoredOutboxMessage, attempt: number, outcome: MailOutcome, reason: string): void {
    this.outcomes.labels(message.template, outcome).inc();
    const line = { template: message.template, messageId: message._id.toHexString(), attempt, outcome, reason };
    if (outcome === MailOutcome.Failed) this.logger.warn(line, 'outbox message failed');
    else this.logger.log(line, `outbox message ${outcome}`);
  }

  /** MailSent / MailFailed need the user's signup week; a message without a user records none. */
  private async userEvent(
    message: StoredOutboxMessage,
    record: (user: { _id: NonNullable<StoredOutboxMessage['userId']>; signupWeek: string }) => Promise<void>,
  ): Promise<void> {
    const userId = message.userId;
    if (!userId) return;
    try {
      const signupWeek = (await this.users.signupWeeks([userId])).get(userId.toHexString());
      if (signupWeek) await record({ _id: userId, signupWeek });
    } catch (error) {
      this.logger.warn({ err: errorText(error), template: message.template as MailTemplate }, 'could not record a mail event');
    }
  }
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}
