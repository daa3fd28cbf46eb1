import { Module } from '@nestjs/common';
import { DataAccessModule, OutboxRepository } from '@directory/data-access';
import { EventsModule } from '../events/events.module';
import { MailModule } from '../mail/mail.module';
import { AccountMail } from './account-mail.service';

/** Queuing account mail (registration's verification, the email flows' links and notices). */
@Module({
  imports: [DataAccessModule.forFeature([OutboxRepository]), EventsModule, MailModule],
  providers: [AccountMail],
  exports: [AccountMail],
})
export class AccountMailModule {}
