import { createHash, sign, type KeyObject } from 'node:crypto';

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A compact JWS signed with RS256 (RFC 7515/7518 §3.3: RSASSA-PKCS1-v1_5 over SHA-256 of
 * `base64url(header).base64url(payload)`). Node's crypto does the signing; jose would too,
 * but jose 6 is ES-module-only and this app also runs inside CommonJS Jest (other apps'
 * e2e tests start it in-process). Verification stays with jsonwebtoken via passport-jwt.
 */
export function signRs256(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: KeyObject): string {
  // `alg` first for readers of the header, and last so the caller's header cannot change it.
  const signingInput = `${base64url(Object.assign({ alg: 'RS256' }, header, { alg: 'RS256' }))}.${base64url(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

/** RFC 7638 JWK thumbprint of an RSA public key: SHA-256 over its required members in lexicographic order. */
export function rsaThumbprint(jwk: { e?: string; n?: string }): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}
