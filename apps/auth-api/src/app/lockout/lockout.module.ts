import { Module } from '@nestjs/common';
import { CredentialsRepository } from '@directory/credentials';
import { DataAccessModule } from '@directory/data-access';
import { PasswordsModule } from '../passwords/passwords.module';
import { Credentials } from './credentials.service';

/** Password checks behind the per-account lockout, on the credentials only auth-api compiles. */
@Module({
  imports: [PasswordsModule, DataAccessModule.forFeature([CredentialsRepository])],
  providers: [Credentials],
  exports: [Credentials],
})
export class LockoutModule {}
