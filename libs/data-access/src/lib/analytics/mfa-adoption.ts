import { SECOND_FACTOR_TYPES, SecondFactorType, UserStatus } from '@directory/schemas';
import type { PipelineStage } from 'mongoose';

/**
 * What MFA adoption reports, one row each: every factor type, and `any` — a factor that can
 * answer a login challenge (TOTP or a passkey). Recovery codes alone are a fallback, not a
 * second factor anyone enrolled to use day to day, so they do not make `any`.
 */
export const MFA_ADOPTION_KEYS = [...SECOND_FACTOR_TYPES, 'any'] as const;
export type MfaAdoptionKey = (typeof MFA_ADOPTION_KEYS)[number];
const SECOND_FACTORS_FOR_LOGIN: readonly SecondFactorType[] = [SecondFactorType.Totp, SecondFactorType.WebAuthn];

/** One group of the pipeline: users sharing the same `secondFactors` (missing → null, none → []). */
export interface FactorSetCount {
  _id: string[] | null;
  count: number;
}

export interface MfaAdoptionRow {
  factor: MfaAdoptionKey;
  users: number;
  /** users / activeUsers; null when there is no active user. */
  share: number | null;
}

export interface MfaAdoption {
  activeUsers: number;
  rows: MfaAdoptionRow[];
}

/**
 * users: `$match lastLoginAt ≥ since, status = active` — index `{ lastLoginAt: 1 }` bounds the
 * scan to who signed in since `since`; status filters what it returns. Grouped by the whole
 * factor set (auth-api writes it sorted and de-duplicated, so at most 2³ sets plus "none"):
 * FerretDB v1 has no `$cond`/`$in` expressions, so the per-type sums happen in TypeScript.
 */
export function mfaAdoptionPipeline(since: Date): PipelineStage[] {
  return [
    { $match: { lastLoginAt: { $gte: since }, status: UserStatus.Active } },
    { $group: { _id: '$secondFactors', count: { $sum: 1 } } },
  ];
}

/** The sparse factor-set groups folded into one row per key, zeros included. */
export function foldMfaAdoption(groups: readonly FactorSetCount[]): MfaAdoption {
  const activeUsers = groups.reduce((sum, group) => sum + group.count, 0);
  const usersWith = (has: (types: readonly string[]) => boolean) =>
    groups.filter((group) => has(Array.isArray(group._id) ? group._id : [])).reduce((sum, group) => sum + group.count, 0);
  const rows = MFA_ADOPTION_KEYS.map((factor): MfaAdoptionRow => {
    const users =
      factor === 'any'
        ? usersWith((types) => SECOND_FACTORS_FOR_LOGIN.some((type) => types.includes(type)))
        : usersWith((types) => types.includes(factor));
    return { factor, users, share: activeUsers > 0 ? users / activeUsers : null };
  });
  return { activeUsers, rows };
}
