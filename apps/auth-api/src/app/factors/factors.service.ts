import { ConflictException, BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import {
  FactorSecretBox,
  FactorStatus,
  FactorsRepository,
  PasskeysRepository,
  StoredFactorType,
  type FactorSummary,
  type NewPasskey,
  type PasskeyDeviceType,
  type PasskeyFields,
} from '@directory/credentials';
import { UsersRepository } from '@directory/data-access';
import { EventKind, MailTemplate, SecondFactorType } from '@directory/schemas';
import { Types } from 'mongoose';
import { toString as qrSvgOf } from 'qrcode';
import { AuthErrorCode } from '../account/account-errors';
import { passkeyAmr, type SecondFactorAmr } from './factor-amr';
import { AccountMail } from '../email-flows/account-mail.service';
import { AuthEvents, type EventSubject } from '../events/auth-events.service';
import { SessionsService } from '../sessions/sessions.service';
import { hashRecoveryCode, newRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT } from './recovery-codes';
import { matchTotp, newTotpSecret, TOTP, TOTP_TOLERANCE_STEPS, totpUri } from './totp';

/** Factors a user may hold at once (pending ones included). */
export const MAX_FACTORS_PER_USER = 10;

export interface TotpEnrolment {
  factorId: string;
  /** otpauth:// provisioning URI: carries the seed, shown once, never stored in clear or logged. */
  otpauthUri: string;
  /** The same URI as a QR code, SVG markup. */
  qrSvg: string;
}

export interface FactorListItem {
  id: string;
  type: StoredFactorType | typeof SecondFactorType.WebAuthn;
  name: string;
  status: FactorStatus;
  createdAt: Date;
  confirmedAt: Date | null;
  lastUsedAt: Date | null;
  /** Passkeys only: synced now (flag BS), and whether it may be (multiDevice). */
  backedUp?: boolean;
  deviceType?: PasskeyDeviceType;
}

export interface FactorList {
  factors: FactorListItem[];
  /** The current set of recovery codes, or null when the user has none. */
  recoveryCodes: { remaining: number; generatedAt: Date } | null;
}

const notFound = () => new NotFoundException({ message: 'Factor not found', code: AuthErrorCode.NotFound });
const userNotFound = () => new NotFoundException({ message: 'User not found', code: AuthErrorCode.NotFound });
const tooManyFactors = () =>
  new ConflictException({ message: `At most ${MAX_FACTORS_PER_USER} factors per account`, code: AuthErrorCode.TooManyFactors });
const invalidCode = () => new BadRequestException({ message: 'The code is not valid', code: AuthErrorCode.InvalidCode });

const asId = (id: Types.ObjectId | string): Types.ObjectId => (typeof id === 'string' ? new Types.ObjectId(id) : id);

/** A path parameter that names a document: 24 hex digits, or nothing matches (404, never a 500). */
export function parseId(id: string): Types.ObjectId | null {
  return /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null;
}

function listItem(factor: FactorSummary): FactorListItem {
  return {
    id: factor._id.toHexString(),
    type: factor.type,
    name: factor.name,
    status: factor.status,
    createdAt: factor.createdAt,
    confirmedAt: factor.confirmedAt ?? null,
    lastUsedAt: factor.lastUsedAt ?? null,
  };
}

/** A passkey is active from its registration (the ceremony is its confirmation). */
export function passkeyListItem(passkey: PasskeyFields): FactorListItem {
  return {
    id: passkey._id.toHexString(),
    type: SecondFactorType.WebAuthn,
    name: passkey.name,
    status: FactorStatus.Active,
    createdAt: passkey.createdAt,
    confirmedAt: passkey.createdAt,
    lastUsedAt: passkey.lastUsedAt ?? null,
    backedUp: passkey.backedUp,
    deviceType: passkey.deviceType,
  };
}

/**
 * Second factors of a user: TOTP enrolment and verification, recovery codes, listing and
 * removal. TOTP seeds are sealed at rest (FactorSecretBox) and appear in clear only in the
 * enrolment answer; a code is accepted once (its RFC 6238 step is inserted under a unique
 * index); a recovery code is used once (a unique redemption insert).
 */
@Injectable()
export class Factors {
  constructor(
    private readonly factors: FactorsRepository,
    private readonly passkeys: PasskeysRepository,
    private readonly users: UsersRepository,
    private readonly box: FactorSecretBox,
    private readonly events: AuthEvents,
    private readonly mail: AccountMail,
    private readonly sessions: SessionsService,
  ) {}

  /** A pending TOTP factor and what the authenticator app needs; it signs nobody in before `confirmTotp`. */
  async enrolTotp(userId: Types.ObjectId | string, name: string, now: Date): Promise<TotpEnrolment> {
    const user = await this.users.findLoginState(asId(userId));
    if (!user) throw userNotFound();
    // A new enrolment replaces an unfinished one.
    await this.factors.deletePending(user._id, StoredFactorType.Totp);
    if ((await this.countForUser(user._id)) >= MAX_FACTORS_PER_USER) throw tooManyFactors();
    const factorId = new Types.ObjectId();
    const seed = newTotpSecret();
    await this.factors.insertPending({
      _id: factorId,
      userId: user._id,
      type: StoredFactorType.Totp,
      name: name.trim(),
      secret: this.box.seal(seed, factorId.toHexString()),
      createdAt: now,
    });
    const otpauthUri = totpUri(seed, user.email);
    const qrSvg = await qrSvgOf(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { factorId: factorId.toHexString(), otpauthUri, qrSvg };
  }

  /**
   * Activates a pending TOTP factor with a first valid code (which is then used up like any other).
   * The account's first factor ends every session but `keepSession` (the caller's): sessions
   * signed in with the password alone do not outlive the factor by more than their access tokens.
   */
  async confirmTotp(
    userId: Types.ObjectId | string,
    factorId: Types.ObjectId | string,
    code: string,
    now: Date,
    keepSession?: string,
  ): Promise<void> {
    const uid = asId(userId);
    const factor = await this.factors.findWithSecret(uid, asId(factorId));
    if (!factor || factor.type !== StoredFactorType.Totp) throw notFound();
    if (factor.status === FactorStatus.Active) {
      throw new ConflictException({ message: 'This factor is already active', code: AuthErrorCode.FactorAlreadyActive });
    }
    const subject = await this.subject(uid);
    const step = await matchTotp(this.box.open(factor.secret, factor._id.toHexString()), code, now);
    if (step === null || !(await this.acceptStep(factor._id, step, now))) {
      if (subject) await this.events.factor(EventKind.FactorFailed, subject, SecondFactorType.Totp, now);
      throw invalidCode();
    }
    const first = !(await this.hasActiveFactor(uid));
    await this.factors.activate(uid, factor._id, now);
    if (first) await this.firstFactorActive(uid, now, keepSession, 'otp');
    if (subject) await this.events.factor(EventKind.FactorEnrolled, subject, SecondFactorType.Totp, now);
    await this.recordSummary(uid);
  }

  /**
   * Stores a passkey whose registration ceremony verified (409 passkey_exists when the
   * credential is anyone's already, decided by the unique index). Like a confirmed TOTP factor,
   * the account's first factor ends every session but `keepSession`.
   */
  async addPasskey(passkey: NewPasskey, now: Date, keepSession?: string): Promise<FactorListItem> {
    const uid = passkey.userId;
    if ((await this.countForUser(uid)) >= MAX_FACTORS_PER_USER) throw tooManyFactors();
    const first = !(await this.hasActiveFactor(uid));
    const id = await this.passkeys.insert(passkey);
    if (!id) throw new ConflictException({ message: 'This passkey is registered already', code: AuthErrorCode.PasskeyExists });
    if (first) await this.firstFactorActive(uid, now, keepSession, passkeyAmr(passkey.deviceType));
    await this.recordFor(uid, EventKind.FactorEnrolled, SecondFactorType.WebAuthn, now);
    await this.recordSummary(uid);
    return passkeyListItem({ ...passkey, _id: id, lastUsedAt: null });
  }

  /**
   * True when `code` is valid now (±1 step) for one of the user's active TOTP factors and its
   * step was not accepted before: a code works once, whoever races with it.
   */
  async verifyTotp(userId: Types.ObjectId | string, code: string, now: Date): Promise<boolean> {
    const uid = asId(userId);
    const factors = await this.factors.activeWithSecrets(uid, StoredFactorType.Totp);
    if (factors.length === 0) return false;
    for (const factor of factors) {
      const step = await matchTotp(this.box.open(factor.secret, factor._id.toHexString()), code, now);
      if (step !== null && (await this.acceptStep(factor._id, step, now))) {
        await this.factors.touch(factor._id, now);
        await this.recordFor(uid, EventKind.FactorUsed, SecondFactorType.Totp, now);
        return true;
      }
    }
    await this.recordFor(uid, EventKind.FactorFailed, SecondFactorType.Totp, now);
    return false;
  }

  /** Ten new codes, shown this once; the previous set stops working. Needs an active factor. */
  async generateRecoveryCodes(userId: Types.ObjectId | string, now: Date): Promise<string[]> {
    const uid = asId(userId);
    if (!(await this.hasActiveFactor(uid))) {
      throw new ConflictException({
        message: 'Enrol a second factor before generating recovery codes',
        code: AuthErrorCode.FactorRequired,
      });
    }
    const codes = new Set<string>();
    while (codes.size < RECOVERY_CODE_COUNT) codes.add(newRecoveryCode());
    await this.factors.replaceRecoveryCodes(
      uid,
      [...codes].map((code) => hashRecoveryCode(uid, code)),
      now,
    );
    await this.recordFor(uid, EventKind.FactorEnrolled, SecondFactorType.RecoveryCode, now);
    await this.recordSummary(uid);
    return [...codes];
  }

  /** True once per code of the user's current set (the user is mailed a notice); false for a used, unknown, old-set or malformed code. */
  async useRecoveryCode(userId: Types.ObjectId | string, code: string, now: Date): Promise<boolean> {
    const uid = asId(userId);
    const normalized = normalizeRecoveryCode(code);
    const stored = normalized ? await this.factors.findRecoveryCode(uid, hashRecoveryCode(uid, normalized)) : null;
    const current = stored ? await this.factors.currentRecoverySet(uid) : null;
    const ok = !!stored && !!current && current.setId.equals(stored.setId) && (await this.factors.redeemRecoveryCode(uid, stored._id, now));
    await this.recordFor(uid, ok ? EventKind.FactorUsed : EventKind.FactorFailed, SecondFactorType.RecoveryCode, now);
    if (ok) {
      // The last code of the set takes recovery_code out of the user's methods.
      await this.recordSummary(uid);
      const user = await this.users.findLoginState(uid);
      if (user) {
        await this.mail.queue(
          { template: MailTemplate.RecoveryCodeUsed, to: user.email, userId: uid, params: { changedAt: now } },
          { _id: user._id, signupWeek: user.signupWeek },
          now,
        );
      }
    }
    return ok;
  }

  /** What the user can answer a second-factor challenge with, e.g. ['totp', 'recovery_code']; [] = no second factor. */
  async activeMethods(userId: Types.ObjectId | string): Promise<SecondFactorType[]> {
    const uid = asId(userId);
    const types: SecondFactorType[] = await this.factors.activeTypes(uid);
    if ((await this.passkeys.countForUser(uid)) > 0) types.push(SecondFactorType.WebAuthn);
    if (types.length === 0) return [];
    const set = await this.factors.currentRecoverySet(uid);
    return set && set.remaining > 0 ? [...types, SecondFactorType.RecoveryCode] : types;
  }

  /** The user's factors (never a secret) and the state of their recovery codes. */
  async list(userId: Types.ObjectId | string): Promise<FactorList> {
    const uid = asId(userId);
    const [factors, passkeys, set] = await Promise.all([
      this.factors.list(uid),
      this.passkeys.list(uid),
      this.factors.currentRecoverySet(uid),
    ]);
    const items = [...factors.map(listItem), ...passkeys.map(passkeyListItem)].sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
    );
    return { factors: items, recoveryCodes: set ? { remaining: set.remaining, generatedAt: set.generatedAt } : null };
  }

  /** Removes one of the user's factors (404 for anyone else's); the last active one takes the recovery codes with it. */
  async remove(userId: Types.ObjectId | string, factorId: Types.ObjectId | string, now: Date): Promise<void> {
    const uid = asId(userId);
    const removed = (await this.factors.remove(uid, asId(factorId))) ?? (await this.removePasskey(uid, asId(factorId)));
    if (!removed) throw notFound();
    if (removed.status === FactorStatus.Active) await this.recordFor(uid, EventKind.FactorRemoved, removed.type, now);
    if (!(await this.hasActiveFactor(uid)) && (await this.factors.currentRecoverySet(uid))) {
      await this.factors.deleteRecoveryCodes(uid);
      await this.recordFor(uid, EventKind.FactorRemoved, SecondFactorType.RecoveryCode, now);
    }
    await this.recordSummary(uid);
  }

  /** Admin: every factor and recovery code of the user goes; an event records who, a mail tells the user. */
  async resetAll(userId: Types.ObjectId | string, by: Types.ObjectId | string, now: Date): Promise<void> {
    const uid = asId(userId);
    const user = await this.users.findLoginState(uid);
    if (!user) throw userNotFound();
    await this.factors.removeAll(uid);
    await this.passkeys.removeAll(uid);
    await this.factors.deleteRecoveryCodes(uid);
    await this.recordSummary(uid);
    const subject = { _id: user._id, signupWeek: user.signupWeek };
    await this.events.factorsReset(subject, asId(by), now);
    await this.mail.queue(
      { template: MailTemplate.FactorsReset, to: user.email, userId: user._id, params: { changedAt: now, requestedBy: asId(by) } },
      subject,
      now,
    );
  }

  /** Admin view of a user's factors: 404 when there is no such user. */
  async listForAdmin(userId: Types.ObjectId | string): Promise<FactorList> {
    if (!(await this.users.findLoginState(asId(userId)))) throw userNotFound();
    return this.list(userId);
  }

  /** Factors the user holds (pending TOTP ones included) against MAX_FACTORS_PER_USER. */
  private async countForUser(userId: Types.ObjectId): Promise<number> {
    return (await this.factors.countForUser(userId)) + (await this.passkeys.countForUser(userId));
  }

  private async hasActiveFactor(userId: Types.ObjectId): Promise<boolean> {
    return (await this.factors.activeTypes(userId)).length > 0 || (await this.passkeys.countForUser(userId)) > 0;
  }

  private async removePasskey(
    userId: Types.ObjectId,
    passkeyId: Types.ObjectId,
  ): Promise<{ status: FactorStatus; type: SecondFactorType } | null> {
    const removed = await this.passkeys.remove(userId, passkeyId);
    return removed ? { status: FactorStatus.Active, type: SecondFactorType.WebAuthn } : null;
  }

  /** Keeps `users.secondFactors` (the non-secret summary analytics and admins read) equal to the active methods. */
  private async recordSummary(userId: Types.ObjectId): Promise<void> {
    await this.users.recordSecondFactors(userId, await this.activeMethods(userId));
  }

  /**
   * Sessions signed in with the password alone end; the caller's own session just proved the
   * factor, so it carries it from now on: otherwise that one session would never meet step-up.
   */
  private async firstFactorActive(userId: Types.ObjectId, now: Date, keepSession: string | undefined, amr: SecondFactorAmr): Promise<void> {
    await this.sessions.endAll(userId, now, keepSession);
    if (keepSession) await this.sessions.recordAuthentication(userId, keepSession, { amr: ['pwd', amr, 'mfa'], authTime: now });
  }

  private acceptStep(factorId: Types.ObjectId, step: number, now: Date): Promise<boolean> {
    // The step stops matching once `now` is more than TOTP_TOLERANCE_STEPS steps past it; keep the record one step longer.
    const expiresAt = new Date((step + TOTP_TOLERANCE_STEPS + 2) * TOTP.period * 1000);
    return this.factors.acceptStep(factorId, step, now, expiresAt > now ? expiresAt : new Date(now.getTime() + TOTP.period * 1000));
  }

  private async subject(userId: Types.ObjectId): Promise<EventSubject | null> {
    const user = await this.users.findLoginState(userId);
    return user ? { _id: user._id, signupWeek: user.signupWeek } : null;
  }

  private async recordFor(
    userId: Types.ObjectId,
    kind: typeof EventKind.FactorEnrolled | typeof EventKind.FactorUsed | typeof EventKind.FactorFailed | typeof EventKind.FactorRemoved,
    type: SecondFactorType,
    now: Date,
  ): Promise<void> {
    const subject = await this.subject(userId);
    if (subject) await this.events.factor(kind, subject, type, now);
  }
}
