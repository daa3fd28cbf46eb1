/** Scales and colours for the hand-drawn SVG charts (no chart library: four chart shapes, a few KB). */

export interface Ticks {
  /** The axis' top value: the largest tick. */
  top: number;
  ticks: number[];
}

/**
 * Whole-number ticks from 0 covering `max` in at most about `count` steps of 1, 2 or 5 × 10ⁿ
 * (counts are integers, so a step is never a fraction).
 */
export function countTicks(max: number, count = 4): Ticks {
  if (!(max > 0)) return { top: 1, ticks: [0, 1] };
  const rough = Math.max(1, max / count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude;
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let value = 0; value <= top; value += step) ticks.push(value);
  return { top, ticks };
}

/** Every how many buckets an x label fits, showing at most `room` labels. */
export function labelStep(buckets: number, room: number): number {
  return buckets <= room ? 1 : Math.ceil(buckets / Math.max(1, room));
}

/**
 * Series colours: each has at least 3:1 contrast on white (WCAG 1.4.11 for graphics), and every
 * chart names its series in a legend and a table, so no figure depends on telling hues apart.
 */
export const COLORS = {
  blue: '#1d4ed8',
  green: '#15803d',
  red: '#b91c1c',
  orange: '#b45309',
  purple: '#6d28d9',
  slate: '#475569',
  /** Light fills for a funnel's starting step, outlined in their dark hue. */
  lightBlue: '#bfdbfe',
  lightPurple: '#ddd6fe',
} as const;

/** WCAG relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

const toHex = (value: number) => Math.round(value).toString(16).padStart(2, '0');

/** `color` laid over white at `alpha`, as the opaque colour a reader sees. */
export function overWhite(color: string, alpha: number): string {
  const channels = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
  return `#${channels.map((c) => toHex(255 - alpha * (255 - c))).join('')}`;
}

export const HEAT_BASE = '#1d4ed8';
const INK = '#000000';
const PAPER = '#ffffff';

/**
 * A retention cell's colours: deeper blue for a larger share (as the dashboard's heat map), and
 * whichever of black or white text reads better on it — black and white guarantee ≥ 4.58:1 on any
 * background, so every cell passes WCAG AA.
 */
export function heatColors(share: number): { background: string; color: string } {
  const clamped = Math.min(1, Math.max(0, share));
  const background = overWhite(HEAT_BASE, 0.08 + 0.85 * clamped);
  const color = contrastRatio(background, INK) >= contrastRatio(background, PAPER) ? INK : PAPER;
  return { background, color };
}
