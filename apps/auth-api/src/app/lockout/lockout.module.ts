import { Module } from '@nestjs/common';
import { CredentialsRepository, LoginFailuresRepository } from '@directory/credentials';
import { DataAccessModule, UsersRepository } from '@directory/data-access';
import { PasswordsModule } from '../passwords/passwords.module';
import { Credentials } from './credentials.service';
import { LoginLedger } from './login-ledger';

/** Password checks behind the failure ledger, on the credentials only auth-api compiles. */
@Module({
  imports: [PasswordsModule, DataAccessModule.forFeature([CredentialsRepository, LoginFailuresRepository, UsersRepository])],
  providers: [Credentials, LoginLedger],
  exports: [Credentials, LoginLedger],
})
export class LockoutModule {}
