import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { AccessTokens } from './access-tokens';

/** Signing access tokens with the current key. */
@Module({
  imports: [KeysModule],
  providers: [AccessTokens],
  exports: [AccessTokens],
})
export class TokensModule {}
