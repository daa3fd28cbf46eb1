/** Who made the request, as the JWT guard puts it on `request.user` and `@CurrentUser()` returns it. */
export interface AuthenticatedUser {
  /** User id (`sub`). */
  id: string;
  /** Roles carried by the token, e.g. `['member', 'admin']`. */
  roles: string[];
  /** The token's `jti`. */
  tokenId: string;
  /** The token's `iat`. */
  issuedAt: Date;
  /** The session (refresh-token family) the token was issued for, when it names one. */
  sessionId?: string;
  /** RFC 8176 methods of the session's latest authentication (`amr`); `['pwd']` when the token has none. */
  amr?: string[];
  /** When that authentication happened (`auth_time`, else `iat`). */
  authTime?: Date;
}
