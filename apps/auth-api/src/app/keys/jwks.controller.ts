import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SigningKeys, type PublishedKey } from './signing-keys';

@ApiTags('keys')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeys) {}

  @Get('jwks.json')
  // Verifiers cache keys anyway; an unknown kid makes them refetch, so rotation needs no coordination.
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Public keys that verify access tokens (JWKS, RFC 7517), each with its kid' })
  @ApiOkResponse({ description: '{ keys: [{ kty, n, e, kid, alg, use }] }' })
  jwks(): { keys: PublishedKey[] } {
    return this.keys.jwks();
  }
}
