import type { AuthenticatedUser } from '../authenticated-user';

const OBJECT_ID = /^[0-9a-f]{24}$/;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * Claims jsonwebtoken does not insist on: without `exp` a token would never expire, and the
 * revocation check needs `sub` and `iat`.
 */
export function claimsToUser(payload: Record<string, unknown>): AuthenticatedUser | null {
  const { sub, iat, exp, jti, roles, sid, amr, auth_time: authTime } = payload;
  if (typeof sub !== 'string' || !OBJECT_ID.test(sub)) return null;
  if (typeof iat !== 'number' || typeof exp !== 'number' || !Number.isFinite(iat) || !Number.isFinite(exp)) return null;
  if (typeof jti !== 'string' || jti.length === 0 || !isStringArray(roles)) return null;
  if (sid !== undefined && typeof sid !== 'string') return null;
  if (amr !== undefined && !isStringArray(amr)) return null;
  if (authTime !== undefined && (typeof authTime !== 'number' || !Number.isFinite(authTime))) return null;
  return {
    id: sub,
    roles,
    tokenId: jti,
    issuedAt: new Date(iat * 1000),
    ...(sid !== undefined && { sessionId: sid }),
    // Tokens of older versions carry neither: a password login at `iat`.
    amr: amr ?? ['pwd'],
    authTime: new Date((authTime ?? iat) * 1000),
  };
}
