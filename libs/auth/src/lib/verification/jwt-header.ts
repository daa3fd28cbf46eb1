/**
 * The JOSE header of a compact JWS, decoded without verifying anything: only to pick the
 * key and refuse disallowed algorithms or types before verification. Null when malformed.
 */
export function decodeJwtHeader(rawJwtToken: string): Record<string, unknown> | null {
  const parts = rawJwtToken.split('.');
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(parts[0])) return null;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    return header !== null && typeof header === 'object' && !Array.isArray(header) ? (header as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
