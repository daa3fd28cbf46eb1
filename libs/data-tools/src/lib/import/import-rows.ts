import { USER_DERIVED_PATHS, type UserModel } from '@directory/schemas';
import type { Error as MongooseError } from 'mongoose';
import { ACCEPTED_HASHES, passwordHashScheme, type HashScheme } from './password-hash';

/**
 * Input columns (CSV header names; the same keys in NDJSON):
 *
 * | column | required | meaning |
 * | --- | --- | --- |
 * | email | yes | login and unique key; trimmed and lowercased like the schema does |
 * | first_name, last_name | yes | NDJSON may give `"name": {"first": ..., "last": ...}` instead |
 * | display_name, title, department, location, phone | no | profile text, schema length limits |
 * | manager_email | no | email of the manager: in the file (any row) or already in the database |
 * | roles | no | `member`, `admin`; CSV: separated by `|`, `;`, `,` or spaces; NDJSON: array or string. Default member |
 * | status | no | `active` (default), `suspended`, `deleted` |
 * | password_hash | no | argon2 or bcrypt hash, stored as is; without it the user has no password and must reset it |
 */
export const IMPORT_COLUMNS = [
  'email',
  'first_name',
  'last_name',
  'display_name',
  'title',
  'department',
  'location',
  'phone',
  'manager_email',
  'roles',
  'status',
  'password_hash',
] as const;
export const REQUIRED_CSV_COLUMNS = ['email', 'first_name', 'last_name'] as const;

const TEXT_COLUMNS = {
  display_name: 'displayName',
  title: 'title',
  department: 'department',
  location: 'location',
  phone: 'phone',
} as const;

/** What the User schema receives: only profile inputs, never ids, derived keys or timestamps. */
export interface UserInput {
  email?: string;
  name: { first?: string; last?: string };
  displayName?: string;
  title?: string;
  department?: string;
  location?: string;
  phone?: string;
  roles?: string[];
  status?: string;
}

export interface ParsedRow {
  /** 1-based record number (CSV: not counting the header). */
  row: number;
  /** 1-based line in the file where the record starts. */
  line: number;
  /** The email as given, for the report (only when it was a string). */
  email?: string;
  input: UserInput;
  managerEmail?: string;
  passwordHash?: string;
  hashScheme?: HashScheme;
  /** Reasons to reject the row found before schema validation. */
  errors: string[];
  /** Keys this importer does not know; ignored, listed once in the summary. */
  unknownKeys: string[];
}

const KNOWN_KEYS = new Set<string>([...IMPORT_COLUMNS, 'name']);

/**
 * Turns one CSV or NDJSON record into schema input. Values must be strings (or absent): an
 * object such as `{"$gt": ""}` is refused here, before anything reaches a query or a model.
 */
export function parseRecord(record: Record<string, unknown>, row: number, line: number): ParsedRow {
  const errors: string[] = [];
  const unknownKeys: string[] = [];
  for (const key of Object.keys(record)) {
    if (key.startsWith('$') || key.includes('.')) errors.push(`${key}: field names may not start with "$" or contain "."`);
    else if (!KNOWN_KEYS.has(key)) unknownKeys.push(key);
  }
  const text = (key: string, value: unknown = record[key]): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      errors.push(`${key}: expected a string, got ${describe(value)}`);
      return undefined;
    }
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  };

  const email = text('email');
  const input: UserInput = { name: names(record, text, errors) };
  if (email !== undefined) input.email = email;
  for (const column of Object.keys(TEXT_COLUMNS) as (keyof typeof TEXT_COLUMNS)[]) {
    const value = text(column);
    if (value !== undefined) input[TEXT_COLUMNS[column]] = value;
  }
  const roles = rolesOf(record['roles'], errors);
  if (roles) input.roles = roles;
  const status = text('status');
  if (status !== undefined) input.status = status.toLowerCase();

  const parsed: ParsedRow = { row, line, input, errors, unknownKeys };
  if (typeof record['email'] === 'string') parsed.email = record['email'].trim().slice(0, 254);
  const managerEmail = text('manager_email')?.toLowerCase();
  if (managerEmail !== undefined) {
    parsed.managerEmail = managerEmail;
    if (email !== undefined && managerEmail === email.toLowerCase()) {
      errors.push('manager_email: a user cannot be their own manager');
    }
  }
  const hash = text('password_hash');
  if (hash !== undefined) {
    const scheme = passwordHashScheme(hash);
    if (scheme) {
      parsed.passwordHash = hash;
      parsed.hashScheme = scheme;
    } else errors.push(`password_hash: not an ${ACCEPTED_HASHES} hash (plaintext passwords are not imported)`);
  }
  return parsed;
}

function names(
  record: Record<string, unknown>,
  text: (key: string, value?: unknown) => string | undefined,
  errors: string[],
): UserInput['name'] {
  const nested = record['name'];
  const flat = record['first_name'] !== undefined || record['last_name'] !== undefined;
  if (nested === undefined || nested === null) return { first: text('first_name'), last: text('last_name') };
  if (flat) {
    errors.push('name: give either "name" or "first_name"/"last_name", not both');
    return {};
  }
  if (typeof nested !== 'object' || Array.isArray(nested)) {
    errors.push(`name: expected {"first", "last"}, got ${describe(nested)}`);
    return {};
  }
  const extra = Object.keys(nested).filter((key) => key !== 'first' && key !== 'last');
  if (extra.length > 0) errors.push(`name: unexpected keys ${extra.join(', ')}`);
  const { first, last } = nested as Record<string, unknown>;
  return { first: text('name.first', first), last: text('name.last', last) };
}

function rolesOf(value: unknown, errors: string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  let roles: unknown[];
  if (typeof value === 'string') roles = value.split(/[|;,\s]+/);
  else if (Array.isArray(value)) roles = value;
  else {
    errors.push(`roles: expected a list or a string, got ${describe(value)}`);
    return undefined;
  }
  const result: string[] = [];
  for (const role of roles) {
    if (typeof role !== 'string') {
      errors.push(`roles: expected strings, got ${describe(role)}`);
      return undefined;
    }
    const trimmed = role.trim().toLowerCase();
    if (trimmed) result.push(trimmed);
  }
  return result.length > 0 ? result : undefined;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Validates a row against the User schema on a compiled model: casting, built-in validators,
 * and the pre('validate') middleware that writes derived keys and checks multi-field rules
 * (PRINCIPLES.md #6), exactly as a `save()` would. Returns the document or the reasons.
 */
export async function validateUser(
  User: UserModel,
  input: UserInput,
): Promise<{ doc: InstanceType<UserModel>; errors?: undefined } | { doc?: undefined; errors: string[] }> {
  const doc = new User(input);
  try {
    await doc.validate();
    return { doc };
  } catch (error) {
    const validation = error as MongooseError.ValidationError;
    if (!validation.errors) throw error;
    const all = Object.entries(validation.errors).map(([path, detail]) => ({ path, message: detail.message }));
    // A bad email also fails `emailDomain` (derived from it): report the cause, not the echo.
    const derived = new Set<string>(USER_DERIVED_PATHS);
    const causes = all.filter((entry) => !derived.has(entry.path));
    return { errors: (causes.length > 0 ? causes : all).map((entry) => `${entry.path}: ${entry.message}`) };
  }
}
