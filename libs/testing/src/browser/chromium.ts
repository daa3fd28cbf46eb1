import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { workspaceRoot } from '../app/log-file';

/** Screenshots of the browser tests land in the repository's git-ignored reports/ folder. */
export const SCREENSHOT_DIR = join(workspaceRoot(), 'reports', 'screenshots');

/** Debian's chromium (or CHROMIUM_PATH); `.ci/run` installs the package when it is missing. */
export function findChromium(): string | undefined {
  const explicit = process.env['CHROMIUM_PATH'];
  if (explicit) return explicit;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const path = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (path) return path;
    } catch {
      // not on PATH
    }
  }
  return ['/usr/bin/chromium', '/usr/lib/chromium/chromium'].find((path) => existsSync(path));
}

export const MISSING_CHROMIUM =
  "Chromium not found: install Debian's package (apt-get install -y chromium; .ci/run does this) or set CHROMIUM_PATH";

/**
 * `it` for a test that drives Chromium, and the browser's path. Without a browser the test is
 * skipped with a printed reason on a developer machine; on CI (CI=true) it runs and fails:
 * a missing browser is never a silent skip there.
 */
export function browserTests(label: string): { chromiumPath: string | undefined; browserIt: jest.It } {
  const chromiumPath = findChromium();
  if (!chromiumPath && process.env['CI'] !== 'true') console.warn(`[skip] ${label} browser tests: ${MISSING_CHROMIUM}`);
  return { chromiumPath, browserIt: chromiumPath || process.env['CI'] === 'true' ? it : it.skip };
}

/** Debian's Chromium, headless, as every browser test runs it (no sandbox: CI may run as root). */
export async function launchChromium(executablePath: string): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/**
 * A page offline but for `origin`: any other request is aborted and recorded in `outside`, which
 * the test expects to stay empty (the pages must load nothing from a CDN). `seen` watches every
 * request first.
 */
export async function openOfflinePage(
  browser: Browser,
  origin: string,
  viewport: { width: number; height: number },
  seen?: (request: Request) => void,
): Promise<{ page: Page; outside: string[] }> {
  const page = await browser.newPage({ viewport });
  const outside: string[] = [];
  await page.route('**/*', (route) => {
    const request = route.request();
    seen?.(request);
    if (request.url().startsWith(origin)) return route.continue();
    outside.push(request.url());
    return route.abort();
  });
  return { page, outside };
}
