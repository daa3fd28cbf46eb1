import { Logger, Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@directory/platform';
import type { AuthApiConfig } from '../../config';
import { JwksController } from './jwks.controller';
import { loadSigningKeys } from './load-signing-keys';
import { SigningKeys } from './signing-keys';

@Module({
  controllers: [JwksController],
  providers: [
    {
      provide: SigningKeys,
      useFactory: (config: AuthApiConfig) => loadSigningKeys(config, new Logger('SigningKeys')),
      inject: [SERVICE_CONFIG],
    },
  ],
  exports: [SigningKeys],
})
export class KeysModule {}
