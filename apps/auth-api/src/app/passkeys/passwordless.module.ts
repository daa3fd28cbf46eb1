import { Module } from '@nestjs/common';
import { DataAccessModule, UsersRepository } from '@directory/data-access';
import { abuseCeilingThrottler, AbuseCeilingGuard } from '../account/abuse-ceiling.guard';
import { AccountModule } from '../account/account.module';
import { OneTimeTokensModule } from '../one-time-tokens/one-time-tokens.module';
import { PasskeysModule } from './passkeys.module';
import { PasswordlessController } from './passwordless.controller';
import { PasswordlessLogin } from './passwordless-login.service';

/** POST /auth/passkeys/options and /auth/passkeys/login (apart from PasskeysModule: login needs AccountModule, which needs PasskeysModule). */
@Module({
  imports: [DataAccessModule.forFeature([UsersRepository]), AccountModule, OneTimeTokensModule, PasskeysModule, abuseCeilingThrottler()],
  controllers: [PasswordlessController],
  providers: [PasswordlessLogin, AbuseCeilingGuard],
})
export class PasswordlessModule {}
