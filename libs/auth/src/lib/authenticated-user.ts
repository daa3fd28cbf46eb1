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
}
