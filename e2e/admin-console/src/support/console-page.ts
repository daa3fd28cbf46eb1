import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { openOfflinePage } from '@directory/testing';

/** Every screenshot and check runs at this size. */
export const VIEWPORT = { width: 1280, height: 800 };

export interface ConsolePage {
  page: Page;
  /** Requests to any other origin (aborted); a console that loads from a CDN fails the test. */
  outside: string[];
  /** Uncaught errors and console errors of the page (a CSP refusal shows up here). */
  errors: string[];
}

/** A page that can reach nothing but the gateway's origin. */
export async function openConsolePage(browser: Browser, origin: string): Promise<ConsolePage> {
  const { page, outside } = await openOfflinePage(browser, origin, VIEWPORT);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    // An API's 4xx is logged by Chromium as a failed resource; the tests check those answers themselves.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded with a status of 4'))
      errors.push(`console: ${message.text()}`);
  });
  return { page, outside, errors };
}

/**
 * Opens `path` (under /console/) signed out, signs in with the form, and waits until the form
 * is gone. Tokens live in the page's memory only, so every new page signs in again.
 */
export async function signIn(page: Page, origin: string, path: string, email: string, password: string): Promise<void> {
  await page.goto(`${origin}/console${path}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

let axeSource: string | undefined;

/**
 * axe-core's WCAG 2.x A/AA rules (and best practices) on the page as it is now. The console's
 * CSP allows scripts from its own origin only, so axe is evaluated through the DevTools protocol,
 * which CSP does not govern, rather than injected as a script tag.
 */
export async function runAxe(page: Page): Promise<{ violations: AxeViolation[]; rulesRun: number }> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    interface AxeRule {
      id: string;
      impact: string | null;
      help: string;
      nodes: Array<{ target: unknown[] }>;
    }
    interface AxeResults {
      violations: AxeRule[];
      passes: AxeRule[];
      incomplete: AxeRule[];
    }
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return {
      violations: results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.map(String).join(' ')),
      })),
      // A page axe could not read (or an axe that did not load) would pass with no violations: the caller checks this.
      rulesRun: results.violations.length + results.passes.length + results.incomplete.length,
    };
  });
}

/** "critical 0, serious 1 (3 elements), moderate 0, minor 0": violated rules per impact. */
export function countByImpact(violations: AxeViolation[]): string {
  return ['critical', 'serious', 'moderate', 'minor']
    .map((impact) => {
      const rules = violations.filter((violation) => violation.impact === impact);
      const elements = rules.reduce((sum, rule) => sum + rule.targets.length, 0);
      return `${impact} ${rules.length}${rules.length > 0 ? ` (${elements} elements: ${rules.map((rule) => rule.id).join(', ')})` : ''}`;
    })
    .join(', ');
}

/** The serious and critical ones, each with its rule, help text and elements: a failure message that says what to fix. */
export function blocking(violations: AxeViolation[]): string[] {
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id} (${violation.help}): ${violation.targets.join(', ')}`);
}
