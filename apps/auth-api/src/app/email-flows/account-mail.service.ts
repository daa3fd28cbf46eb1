import { Injectable } from '@nestjs/common';
import { OutboxRepository, type NewOutboxMessage } from '@directory/data-access';
import type { Types } from 'mongoose';
import { AuthEvents, type EventSubject } from '../events/auth-events.service';
import { OutboxSender } from '../mail/outbox-sender';

/**
 * A message written before its change is held this long unless `ready` comes first: after a
 * crash between the two writes the sender then checks whether the change happened.
 */
export const HOLD_MS = 10_000;

/**
 * Queues mail for the account-by-email flows. A message that announces a change is written
 * before that change and held; once the change is written, `ready` makes it due and wakes the
 * sender, so it never races the change it announces.
 */
@Injectable()
export class AccountMail {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly events: AuthEvents,
    private readonly sender: OutboxSender,
  ) {}

  /** A message about the account as it is now (no change to wait for): due at once. */
  async queue(message: NewOutboxMessage, subject: EventSubject | { email: string }, now: Date): Promise<Types.ObjectId> {
    const id = await this.outbox.enqueue(message, now);
    await this.events.mailRequested(message.template, subject, now);
    this.sender.nudge();
    return id;
  }

  /** A message about a change this request is about to write: held until `ready`. */
  async queueBeforeChange(message: NewOutboxMessage, subject: EventSubject | { email: string }, now: Date): Promise<Types.ObjectId> {
    const id = await this.outbox.enqueue(message, now, new Date(now.getTime() + HOLD_MS));
    await this.events.mailRequested(message.template, subject, now);
    return id;
  }

  /** The change is written: the held messages are due now. */
  async ready(ids: readonly Types.ObjectId[], now: Date): Promise<void> {
    await this.outbox.markReady(ids, now);
    this.sender.nudge();
  }

  /** Messages of this kind to this address in the last hour (per-address limits). */
  sentLastHour(to: string, template: NewOutboxMessage['template'], now: Date): Promise<number> {
    return this.outbox.countSince(to, template, new Date(now.getTime() - 3600_000));
  }
}
