/** The parts of a compact JWT, decoded without verification (tests only look). */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token.split('.');
  const part = (text: string) => JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: part(header), payload: part(payload) };
}

export const bearer = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];
