import { z } from 'zod';
import { decodeFactorKey, parseOldFactorKeys } from './factor-secret-box';

/** `AUTH_FACTOR_ENCRYPTION_KEY` as auth-api and the re-seal tool read it (optional only where a development default exists). */
export const factorKeySetting = z
  .string()
  .refine((value) => decodeFactorKey(value) !== null, 'must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)');

/** `AUTH_FACTOR_ENCRYPTION_KEYS_OLD`: `keyId:base64,…`, a wrong id or key is a configuration error. */
export const oldFactorKeysSetting = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = parseOldFactorKeys(value);
    if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
  })
  .optional();
