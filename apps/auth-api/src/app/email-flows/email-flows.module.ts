import { Module } from '@nestjs/common';
import { CredentialsRepository } from '@directory/credentials';
import { DataAccessModule, UsersRepository } from '@directory/data-access';
import { AccountModule } from '../account/account.module';
import { EventsModule } from '../events/events.module';
import { LockoutModule } from '../lockout/lockout.module';
import { OneTimeTokensModule } from '../one-time-tokens/one-time-tokens.module';
import { PasswordsModule } from '../passwords/passwords.module';
import { abuseCeilingThrottler, AbuseCeilingGuard } from '../account/abuse-ceiling.guard';
import { AccountMailModule } from './account-mail.module';
import { EmailChange } from './email-change.service';
import { EmailFlowsController } from './email-flows.controller';
import { EmailVerification } from './email-verification.service';
import { InvitationAcceptance } from './invitation-acceptance.service';
import { PasswordReset } from './password-reset.service';

/** Verification, password reset, invitation acceptance and email change: links by mail, redeemed once. */
@Module({
  imports: [
    DataAccessModule.forFeature([UsersRepository, CredentialsRepository]),
    AccountModule,
    AccountMailModule,
    abuseCeilingThrottler(),
    EventsModule,
    LockoutModule,
    PasswordsModule,
    OneTimeTokensModule,
  ],
  controllers: [EmailFlowsController],
  providers: [EmailVerification, PasswordReset, InvitationAcceptance, EmailChange, AbuseCeilingGuard],
})
export class EmailFlowsModule {}
