import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountPageFiles, SECURITY_PAGES, WEBAUTHN_BROWSER_ASSET, WEBAUTHN_BROWSER_BUNDLE } from './account-page-files';

const SOURCE_PAGES = join(__dirname, '..', '..', 'assets', 'account');

/** The pages laid out as the build leaves them: dist/apps/auth-api/{main.js, assets/account/**}. */
function builtLayout(withVendorCopy: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'account-pages-'));
  const pages = join(root, 'assets', 'account');
  mkdirSync(pages, { recursive: true });
  cpSync(SOURCE_PAGES, pages, { recursive: true });
  if (withVendorCopy) {
    mkdirSync(join(pages, 'vendor'));
    writeFileSync(join(pages, 'vendor', WEBAUTHN_BROWSER_BUNDLE.file), '/* the build copy */');
  }
  return root;
}

describe('AccountPageFiles', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('from source: serves the WebAuthn helper straight from node_modules (no copy in src)', () => {
    const files = new AccountPageFiles(join(__dirname, '..', '..'));
    const bundle = readFileSync(join(__dirname, '..', '..', '..', '..', '..', WEBAUTHN_BROWSER_BUNDLE.dir, WEBAUTHN_BROWSER_BUNDLE.file));
    expect(files.asset(WEBAUTHN_BROWSER_ASSET)?.body.equals(bundle)).toBe(true);
    expect(files.asset(WEBAUTHN_BROWSER_ASSET)?.type).toMatch(/^text\/javascript/);
  });

  it('built: serves the copy the build put in assets/account/vendor; sign-in and security are one document', () => {
    const root = builtLayout(true);
    made.push(root);
    const files = new AccountPageFiles(root);
    expect(files.asset(WEBAUTHN_BROWSER_ASSET)?.body.toString()).toBe('/* the build copy */');
    const [signIn, security] = SECURITY_PAGES.map((name) => files.page(name));
    expect(signIn).toContain('data-page="security"');
    expect(security).toBe(signIn);
  });

  it('built without the copy and no node_modules above: the boot fails and says what is missing', () => {
    const root = builtLayout(false);
    made.push(root);
    expect(() => new AccountPageFiles(root)).toThrow(/@simplewebauthn\/browser's bundle was not found/);
  });
});
