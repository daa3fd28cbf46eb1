import { Injectable } from '@nestjs/common';
import { OutboxRepository, type NewOutboxMessage } from '@directory/data-access';
import type { Types } from 'mongoose';
import { AuthEvents, type EventSubject } from '../events/auth-events.service';
import { OutboxSender } from '../mail/outbox-sender';

/**
 * Queues mail for the account-by-email flows: the outbox message is written before the change
 * it announces (the sender checks the change happened), then the sender is woken.
 */
@Injectable()
export class AccountMail {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly events: AuthEvents,
    private readonly sender: OutboxSender,
  ) {}

  async queue(message: NewOutboxMessage, subject: EventSubject | { email: string }, now: Date): Promise<Types.ObjectId> {
    const id = await this.outbox.enqueue(message, now);
    await this.events.mailRequested(message.template, subject, now);
    return id;
  }

  /** After the request's own change is written: the sender need not wait for its next poll. */
  wake(): void {
    this.sender.nudge();
  }

  /** Messages of this kind to this address in the last hour (per-address limits). */
  sentLastHour(to: string, template: NewOutboxMessage['template'], now: Date): Promise<number> {
    return this.outbox.countSince(to, template, new Date(now.getTime() - 3600_000));
  }
}
