import { Module } from '@nestjs/common';
import { DataAccessModule, OutboxRepository, UsersRepository } from '@directory/data-access';
import { EventsModule } from '../events/events.module';
import { ComposeModule } from './compose/compose.module';
import { OutboxSender } from './outbox-sender';

/** Delivery of the outbox over SMTP (the sender), with the composer that turns a message into mail. */
@Module({
  imports: [DataAccessModule.forFeature([OutboxRepository, UsersRepository]), EventsModule, ComposeModule],
  providers: [OutboxSender],
  exports: [OutboxSender],
})
export class MailModule {}
