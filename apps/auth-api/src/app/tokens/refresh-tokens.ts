import { createHash, createHmac, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: 43 characters. */
export const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The token that replaces `presented` at rotation: HMAC-SHA256 under a server secret, 256
 * bits, base64url like a random one. Deterministic, so two requests racing with one token
 * (two browser tabs) compute the same successor and the loser of the rotation can return it
 * within the refresh grace without the server storing any token; without the secret nobody
 * can compute it, and only the presented token's hash is ever stored.
 */
export function nextRefreshToken(secret: string, presented: string): string {
  return createHmac('sha256', secret).update(presented).digest('base64url');
}

/**
 * What the Session stores instead of the token: SHA-256 is enough (no salt, no argon2)
 * because the token is 256 random bits, not a guessable password; a database dump then
 * yields nothing a client could present.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Id of a refresh-token family (one Session): 128 random bits, 22 characters. */
export function newSessionFamily(): string {
  return randomBytes(16).toString('base64url');
}
