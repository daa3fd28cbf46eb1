import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PASSWORD_MIN_LENGTH } from '../passwords/password-policy';

/**
 * The pages links in mail open, by the name in the URL (/account/<name>): the four the mail
 * composer links to (AccountPage in mail/compose/account-links.ts) and the forgot-password form.
 */
export const ACCOUNT_PAGES = ['verify-email', 'reset-password', 'accept-invitation', 'confirm-email-change', 'forgot-password'] as const;
export type AccountPageName = (typeof ACCOUNT_PAGES)[number];

/**
 * Sign-in and the security page (second factors, passkeys): one document, security.html, at both
 * addresses; its script switches views so that the tokens never leave the page's memory.
 */
export const SECURITY_PAGES = ['sign-in', 'security'] as const;
const SECURITY_DOCUMENT = 'security.html';

/** Files the pages load, by the name they use, with their content type. */
const ASSET_TYPES: Record<string, string> = {
  'account.js': 'text/javascript; charset=utf-8',
  'account.css': 'text/css; charset=utf-8',
  'security.js': 'text/javascript; charset=utf-8',
  'security.css': 'text/css; charset=utf-8',
};

/**
 * @simplewebauthn/browser's UMD bundle (global SimpleWebAuthnBrowser), served as an asset under
 * this name. The build copies it from node_modules to assets/account/vendor (webpack.config.js):
 * the package is a devDependency, absent from the runtime image's node_modules. From source
 * (tests, ts-node) it is read from the workspace's node_modules instead; no copy lives in src.
 */
export const WEBAUTHN_BROWSER_ASSET = 'simplewebauthn-browser.js';
export const WEBAUTHN_BROWSER_BUNDLE = { dir: 'node_modules/@simplewebauthn/browser/dist/bundle', file: 'index.umd.min.js' } as const;

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
    const security = readFileSync(join(dir, SECURITY_DOCUMENT), 'utf8');
    for (const name of SECURITY_PAGES) this.pages.set(name, security);
    for (const [name, type] of Object.entries(ASSET_TYPES)) this.assets.set(name, { body: readFileSync(join(dir, name)), type });
    this.assets.set(WEBAUTHN_BROWSER_ASSET, { body: readFileSync(webauthnBundle(dir)), type: 'text/javascript; charset=utf-8' });
  }

  page(name: string): string | undefined {
    return this.pages.get(name);
  }

  asset(name: string): AccountAsset | undefined {
    return this.assets.get(name);
  }
}

/** The build's copy next to the pages, else the workspace's node_modules (nearest above the pages). */
function webauthnBundle(pagesDir: string): string {
  const copied = join(pagesDir, 'vendor', WEBAUTHN_BROWSER_BUNDLE.file);
  if (existsSync(copied)) return copied;
  for (let dir = pagesDir; ; dir = dirname(dir)) {
    const candidate = join(dir, WEBAUTHN_BROWSER_BUNDLE.dir, WEBAUTHN_BROWSER_BUNDLE.file);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir)
      throw new Error(`auth-api: @simplewebauthn/browser's bundle was not found (neither ${copied} nor in node_modules)`);
  }
}
