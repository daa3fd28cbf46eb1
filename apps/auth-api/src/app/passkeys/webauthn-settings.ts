import { isIP } from 'node:net';

/** The relying party as WebAuthn sees it: the domain credentials are scoped to, its name, the page origins allowed. */
export interface WebAuthnSettings {
  rpId: string;
  rpName: string;
  origins: string[];
}

export interface WebAuthnEnv {
  AUTH_WEBAUTHN_RP_ID?: string;
  AUTH_WEBAUTHN_RP_NAME?: string;
  AUTH_WEBAUTHN_ORIGINS?: string;
}

export const DEFAULT_RP_NAME = 'Directory';

/** `https://a.example, http://localhost:3001` → the origins, or the first entry that is not one. */
export function parseOrigins(text: string): { origins: string[] } | { problem: string } {
  const origins: string[] = [];
  for (const [index, entry] of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .entries()) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      return { problem: `entry ${index + 1} ("${entry}") is not a URL; expected an origin such as https://directory.example.com` };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: `entry ${index + 1} ("${entry}") is not http(s)` };
    if (url.origin !== entry.replace(/\/$/, '')) {
      return { problem: `entry ${index + 1} ("${entry}") is not an origin (scheme://host[:port], no path): did you mean ${url.origin}?` };
    }
    origins.push(url.origin);
  }
  return origins.length > 0 ? { origins } : { problem: 'names no origin' };
}

/** An origin may use an RP ID equal to its host or a registrable suffix of it (WebAuthn §5.1.3). */
export function originMatchesRpId(origin: string, rpId: string): boolean {
  const host = new URL(origin).hostname;
  return host === rpId || host.endsWith(`.${rpId}`);
}

/** Problems with the WebAuthn settings, as [variable, message] pairs; [] when they are usable. */
export function webAuthnProblems(env: WebAuthnEnv, publicUrl: string): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  const rpId = env.AUTH_WEBAUTHN_RP_ID ?? new URL(publicUrl).hostname;
  if (isIP(rpId.replace(/^\[|\]$/g, '')) !== 0) {
    problems.push(['AUTH_WEBAUTHN_RP_ID', `is an IP address (${rpId}); WebAuthn needs a domain name (use localhost in development)`]);
  } else if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(rpId)) {
    problems.push(['AUTH_WEBAUTHN_RP_ID', `must be a domain name such as directory.example.com, not "${rpId}"`]);
  }
  const parsed = parseOrigins(env.AUTH_WEBAUTHN_ORIGINS ?? new URL(publicUrl).origin);
  if ('problem' in parsed) {
    problems.push(['AUTH_WEBAUTHN_ORIGINS', parsed.problem]);
  } else if (problems.length === 0) {
    const foreign = parsed.origins.filter((origin) => !originMatchesRpId(origin, rpId));
    if (foreign.length > 0) problems.push(['AUTH_WEBAUTHN_ORIGINS', `${foreign.join(', ')} not on the RP ID ${rpId} or a subdomain of it`]);
  }
  return problems;
}

/** The settings from validated configuration (`webAuthnProblems` found nothing). */
export function webAuthnSettings(env: WebAuthnEnv, publicUrl: string): WebAuthnSettings {
  const parsed = parseOrigins(env.AUTH_WEBAUTHN_ORIGINS ?? new URL(publicUrl).origin);
  return {
    rpId: (env.AUTH_WEBAUTHN_RP_ID ?? new URL(publicUrl).hostname).toLowerCase(),
    rpName: env.AUTH_WEBAUTHN_RP_NAME ?? DEFAULT_RP_NAME,
    origins: 'origins' in parsed ? parsed.origins : [],
  };
}
