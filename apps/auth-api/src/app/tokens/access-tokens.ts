import { Injectable } from '@nestjs/common';
import { ACCESS_TOKEN_TYPE, issuedAtSeconds } from '@directory/auth';
import { randomUUID } from 'node:crypto';
import type { Types } from 'mongoose';
import { AuthSettings } from '../auth-settings';
import { SigningKeys } from '../keys/signing-keys';
import { signRs256 } from './jws';

/** The user fields a token is built from. */
export interface TokenSubject {
  _id: Types.ObjectId;
  roles: readonly string[];
  tokensValidAfter?: Date | null;
}

/** RFC 8176 authentication methods and the instant of the latest (the session's). */
export interface TokenAuthentication {
  amr: readonly string[];
  authTime: Date;
}

export interface IssuedAccessToken {
  accessToken: string;
  /** Seconds until it expires. */
  expiresIn: number;
}

/**
 * Signs access tokens (RFC 9068 shape): header `alg` RS256, `kid`, `typ: at+jwt`; claims
 * `iss`, `aud`, `sub`, `roles`, `iat`, `exp`, `jti`, `sid` (the session it belongs to), `amr`
 * and `auth_time` (how and when the user last authenticated in that session: step-up reads them).
 */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly keys: SigningKeys,
    private readonly settings: AuthSettings,
  ) {}

  issue(user: TokenSubject, sessionFamily: string, now: Date, authentication: TokenAuthentication): IssuedAccessToken {
    // Never before the user's revocation cutoff, which may lie up to a second ahead (libs/auth).
    const iat = issuedAtSeconds(now, user.tokensValidAfter);
    const exp = iat + this.settings.accessTokenTtlSeconds;
    const accessToken = signRs256(
      { kid: this.keys.kid, typ: ACCESS_TOKEN_TYPE },
      {
        iss: this.settings.issuer,
        aud: this.settings.audience,
        sub: user._id.toHexString(),
        roles: [...user.roles],
        sid: sessionFamily,
        amr: [...authentication.amr],
        auth_time: Math.floor(authentication.authTime.getTime() / 1000),
        iat,
        exp,
        jti: randomUUID(),
      },
      this.keys.privateKey,
    );
    return { accessToken, expiresIn: exp - Math.floor(now.getTime() / 1000) };
  }
}
