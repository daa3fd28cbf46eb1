import { DAY_KEY_PATTERN } from './patterns';

/**
 * Pure helpers that turn user input and instants into the denormalized keys the
 * schemas store (PRINCIPLES.md #3). Writers, readers and middleware all go through
 * these, so a search term and a stored key are always normalized the same way.
 */

/** Combining diacritical marks, left behind as separate code points by NFD. */
const COMBINING_MARKS = /[\u0300-\u036f]/g;

/**
 * Letters that NFD does not decompose but people type without the stroke or ligature.
 * Folding them (ß → ss, ł → l, ...) lets "strasse" find "Straße" and "lukasz" find
 * "Łukasz"; stored keys and query terms are folded alike, so both spellings match.
 */
const EXTRA_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const EXTRA_FOLD_PATTERN = new RegExp(`[${Object.keys(EXTRA_FOLDS).join('')}]`, 'g');

/**
 * Lowercased, trimmed, inner whitespace collapsed to one space, diacritics removed:
 * "  José Ñúñez " → "jose nunez". German ß becomes "ss" (see EXTRA_FOLDS).
 */
export function normalizeText(value: string | null | undefined): string {
  if (!value) return '';
  return value
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(EXTRA_FOLD_PATTERN, (letter) => EXTRA_FOLDS[letter] ?? letter)
    .replace(/\s+/g, ' ')
    .trim();
}

/** Domain part of an email, lowercased ("Ann@Example.COM" → "example.com"); '' when there is none. */
export function emailDomain(email: string | null | undefined): string {
  const normalized = (email ?? '').trim().toLowerCase();
  const at = normalized.lastIndexOf('@');
  return at < 0 ? '' : normalized.slice(at + 1);
}

const DAY_MS = 24 * 60 * 60 * 1000;

function assertValidDate(date: Date): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new RangeError(`Expected a valid Date, got ${String(date)}`);
  }
}

/** `YYYY-MM-DD` of the instant in UTC, so every service buckets the same instant into the same day. */
export function dayKey(date: Date): string {
  assertValidDate(date);
  return date.toISOString().slice(0, 10);
}

/** `YYYY-MM` of the instant in UTC. */
export function monthKey(date: Date): string {
  assertValidDate(date);
  return date.toISOString().slice(0, 7);
}

/**
 * ISO-8601 week `GGGG-Www` in UTC. The week-year can differ from the calendar year
 * (2027-01-01 is in 2026-W53), because a week belongs to the year of its Thursday.
 */
export function isoWeekKey(date: Date): string {
  assertValidDate(date);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const daysSinceMonday = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(midnight + (3 - daysSinceMonday) * DAY_MS);
  const weekYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${String(weekYear).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** The UTC midnight a `YYYY-MM-DD` key stands for; throws on anything else. */
export function parseDayKey(day: string): Date {
  const date = new Date(`${day}T00:00:00.000Z`);
  if (!DAY_KEY_PATTERN.test(day) || Number.isNaN(date.getTime()) || dayKey(date) !== day) {
    throw new RangeError(`Expected a YYYY-MM-DD day key, got "${day}"`);
  }
  return date;
}

export interface TimeBucketKeys {
  day: string;
  week: string;
  month: string;
}

/**
 * The day/week/month buckets analytics groups by. Middleware computes them from `at`
 * (events) or `day` (activities); call this yourself only when writing through the raw
 * driver, which bypasses middleware.
 */
export function timeBucketKeys(date: Date): TimeBucketKeys {
  return { day: dayKey(date), week: isoWeekKey(date), month: monthKey(date) };
}
