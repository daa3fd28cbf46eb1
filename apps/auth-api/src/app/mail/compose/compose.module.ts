import { Module } from '@nestjs/common';
import { CredentialsRepository } from '@directory/credentials';
import { DataAccessModule, UsersRepository } from '@directory/data-access';
import { OneTimeTokensModule } from '../../one-time-tokens/one-time-tokens.module';
import { MailComposer } from '../mail-composer';
import { TemplateMailComposer } from './template-mail-composer';

/** The templates, their guards and token minting, behind `MailComposer` (which the sender uses). */
@Module({
  imports: [DataAccessModule.forFeature([UsersRepository, CredentialsRepository]), OneTimeTokensModule],
  providers: [{ provide: MailComposer, useClass: TemplateMailComposer }],
  exports: [MailComposer],
})
export class ComposeModule {}
