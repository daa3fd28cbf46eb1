import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { PasskeysRepository, TokenPurpose, type PasskeyFields } from '@directory/credentials';
import { UsersRepository } from '@directory/data-access';
import { EventKind, SecondFactorType } from '@directory/schemas';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { decodeClientDataJSON, isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers';
import { Types } from 'mongoose';
import { AuthErrorCode } from '../account/account-errors';
import { AuthSettings } from '../auth-settings';
import { AuthEvents } from '../events/auth-events.service';
import { passkeyAmr, type PasskeyAmr } from '../factors/factor-amr';
import { Factors, type FactorListItem } from '../factors/factors.service';
import { OneTimeTokens, tokenErrors } from '../one-time-tokens/one-time-tokens.service';

/** Every passkey challenge (a one-time token) lives as long as a login challenge. */
export const PASSKEY_CHALLENGE_TTL_SECONDS = 300;
const CEREMONY_TIMEOUT_MS = PASSKEY_CHALLENGE_TTL_SECONDS * 1000;

/** A verified assertion: whose passkey, and what it proves. */
export interface PasskeyAssertion {
  userId: Types.ObjectId;
  passkeyId: Types.ObjectId;
  amr: PasskeyAmr;
}

/** Registration: the ceremony's response does not verify (400: the caller is signed in; nothing to count). */
export const passkeyInvalid = () =>
  new BadRequestException({ message: 'The passkey response does not verify', code: AuthErrorCode.PasskeyInvalid });

/** The WebAuthn user handle: the user's id (12 bytes), never the email, so authenticators hold nothing personal. */
const userHandleOf = (userId: Types.ObjectId) => isoUint8Array.fromHex(userId.toHexString());

/**
 * The one-time token a ceremony's clientDataJSON carries as its challenge (the server issued
 * `challenge = utf8(token)`), or '' when there is none to read: `inspect` then refuses it
 * (token_invalid).
 */
export function challengeTokenOf(response: { response: { clientDataJSON: string } }): string {
  try {
    return isoBase64URL.toUTF8String(decodeClientDataJSON(response.response.clientDataJSON).challenge);
  } catch {
    return '';
  }
}

const challengeOf = (token: string) => isoBase64URL.fromUTF8String(token);

/**
 * WebAuthn ceremonies with @simplewebauthn/server: registration of a passkey (stored by
 * Factors, which owns a user's factors), and verification of assertions for the login's
 * second step, step-up and passwordless sign-in. Challenges are one-time tokens; the
 * library checks origin, RP ID, user presence/verification, signature and the counter.
 */
@Injectable()
export class Passkeys {
  constructor(
    private readonly settings: AuthSettings,
    private readonly passkeys: PasskeysRepository,
    private readonly users: UsersRepository,
    private readonly factors: Factors,
    private readonly tokens: OneTimeTokens,
    private readonly events: AuthEvents,
  ) {}

  /** Options for navigator.credentials.create(): a discoverable credential with user verification. */
  async registrationOptions(userId: Types.ObjectId, now: Date): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const user = await this.users.findLoginState(userId);
    if (!user) throw new NotFoundException({ message: 'User not found', code: AuthErrorCode.NotFound });
    const token = await this.tokens.mint(
      { purpose: TokenPurpose.PasskeyRegistration, userId, binding: { email: user.email }, ttlSeconds: PASSKEY_CHALLENGE_TTL_SECONDS },
      now,
    );
    const existing = await this.passkeys.list(userId);
    return generateRegistrationOptions({
      rpName: this.settings.webauthn.rpName,
      rpID: this.settings.webauthn.rpId,
      userName: user.email,
      userDisplayName: user.email,
      userID: userHandleOf(userId),
      challenge: isoUint8Array.fromUTF8String(token),
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    });
  }

  /** Verifies a registration ceremony against its challenge and stores the passkey. */
  async register(
    userId: Types.ObjectId,
    name: string,
    response: RegistrationResponseJSON,
    now: Date,
    keepSession?: string,
  ): Promise<FactorListItem> {
    const token = challengeTokenOf(response);
    const stored = await this.tokens.inspect(token, TokenPurpose.PasskeyRegistration, now);
    if (!stored.userId.equals(userId)) throw tokenErrors.invalid();
    const user = await this.users.findLoginState(userId);
    if (!user || user.email !== stored.binding.email) throw tokenErrors.stale();

    const verification = await verifyRegistrationResponse({
      response: { ...response, clientExtensionResults: response.clientExtensionResults ?? {} },
      expectedChallenge: challengeOf(token),
      expectedOrigin: this.settings.webauthn.origins,
      expectedRPID: this.settings.webauthn.rpId,
      requireUserVerification: true,
    }).catch(() => null);
    if (!verification?.verified) {
      await this.events.factor(EventKind.FactorFailed, user, SecondFactorType.WebAuthn, now);
      throw passkeyInvalid();
    }
    await this.tokens.redeem(stored, now);
    const { credential, credentialDeviceType, credentialBackedUp, aaguid } = verification.registrationInfo;
    return this.factors.addPasskey(
      {
        userId,
        name: name.trim(),
        credentialId: credential.id,
        publicKey: isoBase64URL.fromBuffer(credential.publicKey),
        counter: credential.counter,
        transports: response.response.transports ?? [],
        deviceType: credentialDeviceType,
        backedUp: credentialBackedUp,
        aaguid,
        createdAt: now,
      },
      now,
      keepSession,
    );
  }

  /** Options for navigator.credentials.get() over `challenge`: the user's passkeys, or any discoverable one (no user). */
  async requestOptions(
    challenge: string,
    userId: Types.ObjectId | null,
    userVerification: 'required' | 'preferred',
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const allowed = userId ? await this.passkeys.list(userId) : [];
    return generateAuthenticationOptions({
      rpID: this.settings.webauthn.rpId,
      allowCredentials: allowed.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
      challenge: isoUint8Array.fromUTF8String(challenge),
      timeout: CEREMONY_TIMEOUT_MS,
      userVerification,
    });
  }

  /** A fresh challenge (one-time token) bound to the user, with its request options (step-up). */
  async stepUpOptions(userId: Types.ObjectId, now: Date): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const user = await this.users.findLoginState(userId);
    if (!user) throw new NotFoundException({ message: 'User not found', code: AuthErrorCode.NotFound });
    const token = await this.tokens.mint(
      { purpose: TokenPurpose.PasskeyStepUp, userId, binding: { email: user.email }, ttlSeconds: PASSKEY_CHALLENGE_TTL_SECONDS },
      now,
    );
    return this.requestOptions(token, userId, 'preferred');
  }

  /** A challenge bound to nobody with options for any discoverable credential, user verification required (passwordless). */
  async signInOptions(now: Date): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const token = await this.tokens.mintUnbound({ purpose: TokenPurpose.PasskeySignIn, ttlSeconds: PASSKEY_CHALLENGE_TTL_SECONDS }, now);
    return this.requestOptions(token, null, 'required');
  }

  /**
   * Verifies an assertion over `challenge` (the caller has inspected its token) with one of
   * `userId`'s passkeys, or anyone's when `userId` is null (passwordless). On success the
   * passkey's counter, backup state and last use are stored (FactorUsed); otherwise null
   * (FactorFailed for a known passkey's owner).
   */
  async verifyAssertion(
    response: AuthenticationResponseJSON,
    expected: { challenge: string; userId: Types.ObjectId | null; requireUserVerification: boolean },
    now: Date,
  ): Promise<PasskeyAssertion | null> {
    const passkey = await this.passkeys.findByCredentialId(response.id);
    if (!passkey || (expected.userId && !passkey.userId.equals(expected.userId))) {
      if (expected.userId) await this.record(expected.userId, EventKind.FactorFailed, now);
      return null;
    }
    const ok = this.handleMatches(passkey, response) ? await this.verify(passkey, response, expected, now) : null;
    await this.record(passkey.userId, ok ? EventKind.FactorUsed : EventKind.FactorFailed, now);
    return ok;
  }

  private async verify(
    passkey: PasskeyFields,
    response: AuthenticationResponseJSON,
    expected: { challenge: string; requireUserVerification: boolean },
    now: Date,
  ): Promise<PasskeyAssertion | null> {
    const verification = await verifyAuthenticationResponse({
      response: { ...response, clientExtensionResults: response.clientExtensionResults ?? {} },
      expectedChallenge: challengeOf(expected.challenge),
      expectedOrigin: this.settings.webauthn.origins,
      expectedRPID: this.settings.webauthn.rpId,
      credential: { id: passkey.credentialId, publicKey: isoBase64URL.toBuffer(passkey.publicKey), counter: passkey.counter },
      requireUserVerification: expected.requireUserVerification,
    }).catch(() => null);
    if (!verification?.verified) return null;
    const { newCounter, credentialBackedUp, credentialDeviceType } = verification.authenticationInfo;
    await this.passkeys.recordUse(passkey._id, {
      counter: newCounter,
      backedUp: credentialBackedUp,
      deviceType: credentialDeviceType,
      at: now,
    });
    return { userId: passkey.userId, passkeyId: passkey._id, amr: passkeyAmr(credentialDeviceType) };
  }

  /** A discoverable credential returns the user handle it was created with: it must name the passkey's owner. */
  private handleMatches(passkey: PasskeyFields, response: AuthenticationResponseJSON): boolean {
    const handle = response.response.userHandle;
    return !handle || handle === isoBase64URL.fromBuffer(userHandleOf(passkey.userId));
  }

  private async record(userId: Types.ObjectId, kind: typeof EventKind.FactorUsed | typeof EventKind.FactorFailed, now: Date) {
    const user = await this.users.findLoginState(userId);
    if (user) await this.events.factor(kind, user, SecondFactorType.WebAuthn, now);
  }
}
