import { Module } from '@nestjs/common';
import { AccountPageFiles } from './account-page-files';
import { AccountPagesController } from './account-pages.controller';

/** The pages links in mail open, under /account on auth-api's origin (see AccountPagesController). */
@Module({
  controllers: [AccountPagesController],
  providers: [{ provide: AccountPageFiles, useFactory: () => new AccountPageFiles() }],
})
export class AccountPagesModule {}
