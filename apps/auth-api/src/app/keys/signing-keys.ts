import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { rsaThumbprint } from '../tokens/jws';
import { ACCESS_TOKEN_ALGORITHMS } from '@directory/auth';

/** A public key as published in the JWKS. */
export interface PublishedKey extends JsonWebKey {
  kid: string;
  kty: string;
  alg: 'RS256';
  use: 'sig';
}

interface VerificationKey {
  jwk: PublishedKey;
  pem: string;
}

/** The shared contract's algorithm (see ACCESS_TOKEN_ALGORITHMS for why RS256). */
export const SIGNING_ALGORITHM = ACCESS_TOKEN_ALGORITHMS[0];
const MIN_RSA_BITS = 2048;

/** Refuses anything but an RSA key of at least 2048 bits, naming where it came from. */
export function assertRsaKey(key: KeyObject, source: string): void {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_BITS) {
    throw new Error(
      `${source} must be an RSA key of at least ${MIN_RSA_BITS} bits (got ${key.asymmetricKeyType ?? 'unknown'} ${bits || ''})`.trim(),
    );
  }
}

function verificationKey(publicKey: KeyObject): VerificationKey {
  const jwk = publicKey.export({ format: 'jwk' });
  // The kid is the RFC 7638 thumbprint: stable for a key, different for any other, no config needed.
  const kid = rsaThumbprint(jwk);
  return {
    jwk: { kty: jwk.kty as string, n: jwk.n, e: jwk.e, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/**
 * The key that signs access tokens plus every public key verifiers should accept: the
 * signing key's own and, while keys rotate, previous ones (so tokens signed before the
 * switch stay valid until they expire and nobody is logged out).
 */
export class SigningKeys {
  private constructor(
    readonly kid: string,
    readonly privateKey: KeyObject,
    private readonly verification: ReadonlyMap<string, VerificationKey>,
  ) {}

  static create(privateKey: KeyObject, extraPublicKeys: readonly KeyObject[] = []): SigningKeys {
    assertRsaKey(privateKey, 'AUTH_JWT_PRIVATE_KEY');
    const own = verificationKey(createPublicKey(privateKey));
    const verification = new Map([[own.jwk.kid, own]]);
    for (const [i, key] of extraPublicKeys.entries()) {
      assertRsaKey(key, `AUTH_JWT_PUBLIC_KEYS[${i}]`);
      const extra = verificationKey(key);
      verification.set(extra.jwk.kid, extra);
    }
    return new SigningKeys(own.jwk.kid, privateKey, verification);
  }

  /** `GET /.well-known/jwks.json`: public keys only, never the private one. */
  jwks(): { keys: PublishedKey[] } {
    return { keys: [...this.verification.values()].map((key) => key.jwk) };
  }

  /** The public key (PEM) of a kid, for verifying tokens in-process. */
  publicKeyPem(kid: string | undefined): string | undefined {
    return kid === undefined ? undefined : this.verification.get(kid)?.pem;
  }
}
