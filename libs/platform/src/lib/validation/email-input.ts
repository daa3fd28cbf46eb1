import { isEmail } from 'class-validator';

const LOCAL_ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const DOMAIN_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';

/**
 * The addresses `@IsEmail()` accepts, as a JSON-schema `pattern` for OpenAPI: dot-atoms before
 * the `@`, host labels and an alphabetic top-level domain of two letters or more after it.
 * `format: email` alone admits what IsEmail refuses (`0@0.a`, quoted local parts), so a
 * client reading the schema would send addresses the API answers with 400.
 */
export const EMAIL_INPUT_PATTERN = `^${LOCAL_ATOM}(?:\\.${LOCAL_ATOM})*@(?:${DOMAIN_LABEL}\\.)+[A-Za-z]{2,63}$`;

/** The OpenAPI properties of every email input. */
export const EMAIL_INPUT_SCHEMA = { format: 'email', pattern: EMAIL_INPUT_PATTERN } as const;

/** For tests: whether the pattern and IsEmail agree on `value` (the pattern is the stricter of the two). */
export function emailInputAgrees(value: string): boolean {
  return new RegExp(EMAIL_INPUT_PATTERN).test(value) === isEmail(value);
}
