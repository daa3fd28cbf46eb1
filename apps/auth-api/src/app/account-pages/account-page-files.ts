import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PASSWORD_MIN_LENGTH } from '../passwords/password-policy';

/**
 * The pages links in mail open, by the name in the URL (/account/<name>): the four the mail
 * composer links to (AccountPage in mail/compose/account-links.ts) and the forgot-password form.
 */
export const ACCOUNT_PAGES = ['verify-email', 'reset-password', 'accept-invitation', 'confirm-email-change', 'forgot-password'] as const;
export type AccountPageName = (typeof ACCOUNT_PAGES)[number];

/** Files the pages load, by the name they use, with their content type. */
const ASSET_TYPES: Record<string, string> = {
  'account.js': 'text/javascript; charset=utf-8',
  'account.css': 'text/css; charset=utf-8',
};

export interface AccountAsset {
  body: Buffer;
  type: string;
}

/**
 * The account pages' static files, read once at start-up (a missing file fails the boot, not a
 * request). They live in src/assets/account and are copied next to main.js by the build
 * (webpack.config.js copies ./src/assets). No framework, no CDN: the pages work offline.
 */
export class AccountPageFiles {
  private readonly pages = new Map<string, string>();
  private readonly assets = new Map<string, AccountAsset>();

  constructor(baseDir = __dirname) {
    const candidates = [join(baseDir, 'assets', 'account'), join(baseDir, '..', '..', 'assets', 'account')];
    const dir = candidates.find((path) => existsSync(path));
    if (!dir) throw new Error(`auth-api: the account pages were not found (looked in ${candidates.join(', ')})`);
    for (const name of ACCOUNT_PAGES) {
      // The one value the pages state that the API decides: the password policy's minimum length.
      const html = readFileSync(join(dir, `${name}.html`), 'utf8').replace(/\{\{PASSWORD_MIN_LENGTH\}\}/g, String(PASSWORD_MIN_LENGTH));
      this.pages.set(name, html);
    }
    for (const [name, type] of Object.entries(ASSET_TYPES)) this.assets.set(name, { body: readFileSync(join(dir, name)), type });
  }

  page(name: string): string | undefined {
    return this.pages.get(name);
  }

  asset(name: string): AccountAsset | undefined {
    return this.assets.get(name);
  }
}
