import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

/** Authenticator data flags (WebAuthn §6.1). */
const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** What a ceremony may be made to get wrong (a phishing origin, another RP, no user verification…). */
export interface CeremonyOverrides {
  origin?: string;
  rpId?: string;
  /** Default true. */
  userVerified?: boolean;
  /** Sign over this challenge instead of the options' (base64url). */
  challenge?: string;
  /** Use this signature counter instead of the next one. */
  counter?: number;
  type?: string;
}

export interface SoftAuthenticatorOptions {
  rpId: string;
  origin: string;
  /** A synced passkey (flags BE|BS: deviceType multiDevice, backedUp). Default: a device-bound one. */
  synced?: boolean;
  /** Authenticators without a counter always report 0. Default: counts up from 1. */
  withoutCounter?: boolean;
}

/**
 * A software WebAuthn authenticator for tests: one ES256 (P-256) credential, a `none`
 * attestation, assertions signed over authenticatorData || SHA-256(clientDataJSON) with a DER
 * ECDSA signature, as a platform or roaming authenticator does. It keeps the user handle it was
 * created with, so it answers discoverable (username-less) requests.
 */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  private readonly privateKey: KeyObject;
  private readonly cosePublicKey: Uint8Array;
  private counter = 0;
  userHandle: string | undefined;

  constructor(private readonly options: SoftAuthenticatorOptions) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.cosePublicKey = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x as string, 'base64url')],
        [-3, Buffer.from(jwk.y as string, 'base64url')],
      ]),
    );
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** navigator.credentials.create() for these options. */
  register(options: PublicKeyCredentialCreationOptionsJSON, overrides: CeremonyOverrides = {}): RegistrationResponseJSON {
    this.userHandle = options.user.id;
    const clientDataJSON = this.clientData('webauthn.create', options.challenge, overrides);
    const credentialData = Buffer.concat([
      Buffer.alloc(16), // AAGUID: zeros, as `none` attestation gives
      Buffer.from([this.credentialId.length >> 8, this.credentialId.length & 0xff]),
      this.credentialId,
      this.cosePublicKey,
    ]);
    const authData = Buffer.concat([this.authDataHead(options.rp.id ?? this.options.rpId, overrides, AT), credentialData]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
      clientExtensionResults: { credProps: { rk: true } } as RegistrationResponseJSON['clientExtensionResults'],
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get() for these options (an empty allowCredentials = discoverable). */
  assert(options: PublicKeyCredentialRequestOptionsJSON, overrides: CeremonyOverrides = {}): AuthenticationResponseJSON {
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, overrides);
    const authData = this.authDataHead(options.rpId ?? this.options.rpId, overrides, 0);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  private clientData(type: string, challenge: string, overrides: CeremonyOverrides): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: overrides.type ?? type,
        challenge: overrides.challenge ?? challenge,
        origin: overrides.origin ?? this.options.origin,
        crossOrigin: false,
      }),
    );
  }

  private authDataHead(rpId: string, overrides: CeremonyOverrides, extraFlags: number): Buffer {
    let flags = UP | extraFlags;
    if (overrides.userVerified ?? true) flags |= UV;
    if (this.options.synced) flags |= BE | BS;
    const counter = overrides.counter ?? (this.options.withoutCounter ? 0 : ++this.counter);
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(overrides.rpId ?? rpId), Buffer.from([flags]), count]);
  }
}

/** Flip one bit of a base64url value (a tampered signature or authenticator data). */
export function tamper(value: string): string {
  const bytes = isoBase64URL.toBuffer(value);
  bytes[bytes.length - 1] ^= 1;
  return isoBase64URL.fromBuffer(bytes);
}
