import { browserTests, launchChromium, MISSING_CHROMIUM, SCREENSHOT_DIR, type RegisteredUser } from '@directory/testing';
import { parse } from 'csv-parse/sync';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { blocking, countByImpact, openConsolePage, runAxe, signIn, type ConsolePage } from './support/console-page';
import { startConsoleSystem, type ConsoleSystem } from './support/console-system';
import { DirectoryApi, type PersonView } from './support/directory-api';

const { chromiumPath, browserIt } = browserTests('admin console');

/** The people of the directory these tests drive; names with diacritics, searched for without them. */
const PEOPLE = {
  zoe: { name: { first: 'Zoë', last: 'Ångström' }, department: 'Acoustics', title: 'Researcher' },
  jose: { name: { first: 'José', last: 'Núñez' }, department: 'Acoustics', title: 'Engineer' },
  josefa: { name: { first: 'Josefa', last: 'Ibáñez' }, department: 'Finance', title: 'Controller' },
  josue: { name: { first: 'Josué', last: 'Ortega' }, department: 'Finance' },
  orjan: { name: { first: 'Ørjan', last: 'Æbelø' }, department: 'Acoustics', title: 'Technician' },
  cagla: { name: { first: 'Çağla', last: 'Şahin' }, department: 'Acoustics' },
  lukasz: { name: { first: 'Łukasz', last: 'Żółkiewski' }, department: 'Finance' },
} as const;
type Name = keyof typeof PEOPLE;
/** People named "Pat Pagès NN": more than the console's page of 50. */
const PAGED = 57;

/**
 * Waits until the People table shows exactly `names` (row headers, in order) and no search is
 * in flight: typing shows the previous answer (dimmed, aria-busy) until the new one arrives.
 */
async function waitForRows(page: Page, names: string[]): Promise<void> {
  await page
    .waitForFunction((expected) => {
      const table = document.querySelector('table[aria-busy]');
      if (!table || table.getAttribute('aria-busy') !== 'false') return false;
      const shown = Array.from(table.querySelectorAll('tbody th[scope="row"] a')).map((link) => link.textContent);
      return JSON.stringify(shown) === JSON.stringify(expected);
    }, names)
    .catch(async (error: Error) => {
      const shown = await page.locator('tbody th[scope="row"] a').allTextContents();
      throw new Error(`the People table shows ${JSON.stringify(shown)}, expected ${JSON.stringify(names)}: ${error.message}`);
    });
}

/** The rows of the audit trail on a person's page, as text. */
const auditRows = (page: Page) => page.getByRole('table', { name: /^Audit trail of/ }).locator('tbody tr');

/**
 * The console as an admin drives it (issue 15 "Done when"), in Debian's Chromium, against the
 * built console behind the gateway (tools/gateway-main.ts) in front of the built services, on
 * this file's own database. What the console shows is checked against what the API says.
 */
describe('the admin console in Chromium', () => {
  let system: ConsoleSystem;
  let browser: Browser | undefined;
  let admin: RegisteredUser;
  let member: RegisteredUser;
  let api: DirectoryApi;
  const people = {} as Record<Name, RegisteredUser>;
  const opened: ConsolePage[] = [];

  const open = async (): Promise<Page> => {
    if (!browser) throw new Error(MISSING_CHROMIUM);
    const page = await openConsolePage(browser, system.url);
    opened.push(page);
    return page.page;
  };
  const signedIn = async (path: string): Promise<Page> => {
    const page = await open();
    await signIn(page, system.url, path, admin.email, admin.password);
    return page;
  };
  const fullName = (name: Name) => `${PEOPLE[name].name.first} ${PEOPLE[name].name.last}`;
  const openPerson = async (name: Name): Promise<Page> => {
    const page = await signedIn(`/people/${people[name].id}`);
    await page.getByRole('heading', { level: 1, name: fullName(name) }).waitFor();
    return page;
  };

  beforeAll(async () => {
    // Every test drives the browser; without one (and off CI) they are skipped, so start nothing.
    if (!chromiumPath && process.env['CI'] !== 'true') return;
    system = await startConsoleSystem();
    admin = await system.auth.registerAdmin({ name: { first: 'Ada', last: 'Administrator' }, department: 'Operations' });
    member = await system.auth.register({ name: { first: 'Mel', last: 'Member' }, department: 'Operations' });
    for (const [name, input] of Object.entries(PEOPLE)) people[name as Name] = await system.auth.register(input);
    api = new DirectoryApi(system.apiUrl, admin.accessToken);
    // A manager chain: José and Ørjan report to Zoë, set by each of them as any user can.
    for (const name of ['jose', 'orjan'] as const) {
      const self = new DirectoryApi(system.apiUrl, people[name].accessToken);
      const me = await self.expect<PersonView>(200, 'GET', '/users/me');
      await self.expect(200, 'PATCH', '/users/me', { body: { managerId: people.zoe.id }, headers: { 'if-match': `"${me.version}"` } });
    }
    // More people than one page of the list (50), all found by one prefix, for the infinite list.
    for (let i = 0; i < PAGED; i += 5) {
      await Promise.all(
        Array.from({ length: Math.min(5, PAGED - i) }, (_, j) =>
          system.auth.register({ name: { first: 'Pat', last: `Pagès ${String(i + j + 1).padStart(2, '0')}` }, department: 'Paging' }),
        ),
      );
    }
    if (chromiumPath) browser = await launchChromium(chromiumPath);
  }, 180_000);

  afterEach(async () => {
    const pages = opened.splice(0);
    for (const { page } of pages) await page.close();
    // Nothing outside the gateway's origin may load (no CDN), and nothing may throw or break the CSP.
    expect(pages.flatMap((page) => page.outside)).toEqual([]);
    expect(pages.flatMap((page) => page.errors)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  browserIt('a member signs in and is told the console needs the admin role', async () => {
    const page = await open();
    await signIn(page, system.url, '/people', member.email, member.password);
    await page.getByRole('heading', { name: 'Admin role required' }).waitFor();
    expect(await page.getByText(member.email).count()).toBeGreaterThan(0);
    // No admin section was drawn, and the API refuses this token for admin routes anyway.
    expect(await page.getByRole('navigation', { name: 'Sections' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'People' }).count()).toBe(0);
    expect((await new DirectoryApi(system.apiUrl, member.accessToken).call('GET', `/users/${admin.id}/events`)).status).toBe(403);
  });

  browserIt('searches with the names typed without accents, and the URL carries the filter to a new page', async () => {
    const page = await signedIn('/people');
    const search = page.getByLabel('Name or email');

    // Typed key by key, as a person types: the search follows once typing pauses.
    await search.pressSequentially('zoe ang');
    await page.waitForURL((url) => url.searchParams.get('q') === 'zoe ang');
    const zoe = await api.search({ q: 'zoe ang' });
    expect(zoe.map((person) => person.id)).toEqual([people.zoe.id]);
    await waitForRows(page, [fullName('zoe')]);

    await search.fill('');
    await search.pressSequentially('jose');
    await page.waitForURL((url) => url.searchParams.get('q') === 'jose');
    const jose = await api.search({ q: 'jose' });
    // "jose" is the start of José and Josefa, not of Josué.
    expect(jose.map((person) => person.id).sort()).toEqual([people.jose.id, people.josefa.id].sort());
    await waitForRows(
      page,
      jose.map((person) => person.fullName),
    );
    await page.getByRole('status').filter({ hasText: '2 people match' }).waitFor();

    // The link is the view: a new page (signed out: tokens live in page memory) opens the same filter.
    const shared = new URL(page.url());
    expect(shared.pathname).toBe('/console/people');
    const second = await open();
    await signIn(second, system.url, `/people${shared.search}`, admin.email, admin.password);
    expect(await second.getByLabel('Name or email').inputValue()).toBe('jose');
    await waitForRows(
      second,
      jose.map((person) => person.fullName),
    );
  });

  browserIt('loads the next page of a long list when the end of the list scrolls into view', async () => {
    const page = await signedIn('/people?q=pages');
    const all = await api.search({ q: 'pages' });
    expect(all).toHaveLength(PAGED);
    await page
      .getByRole('status')
      .filter({ hasText: `${PAGED} people match` })
      .waitFor();
    // The first page only: the list is cursor-paged, never all at once.
    await waitForRows(
      page,
      all.slice(0, 50).map((person) => person.fullName),
    );
    await page.getByRole('button', { name: /^Load more/ }).scrollIntoViewIfNeeded();
    await waitForRows(
      page,
      all.map((person) => person.fullName),
    );
    await page.getByText(`All ${PAGED} people shown.`).waitFor();
  });

  browserIt('opens a person from the list, changes a role, and sees the change in the audit trail', async () => {
    const page = await signedIn('/people?q=nunez');
    await page.getByRole('link', { name: fullName('jose') }).click();
    await page.getByRole('heading', { level: 1, name: fullName('jose') }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/people/${people.jose.id}`);
    // The manager chain names Zoë, as the API does.
    await page
      .getByRole('navigation', { name: 'Manager chain' })
      .getByRole('link', { name: fullName('zoe') })
      .waitFor();

    const admins = page.getByRole('checkbox', { name: 'Admin' });
    expect(await admins.isChecked()).toBe(false);
    await admins.check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await auditRows(page).filter({ hasText: 'RoleChanged' }).first().waitFor();
    expect(await auditRows(page).filter({ hasText: 'RoleChanged' }).count()).toBe(1);
    expect((await api.person(people.jose.id)).roles.sort()).toEqual(['admin', 'member']);

    // And back: a second entry, newest first.
    await page.getByRole('checkbox', { name: 'Admin' }).uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await auditRows(page).filter({ hasText: 'RoleChanged' }).nth(1).waitFor();
    expect((await api.person(people.jose.id)).roles).toEqual(['member']);
    const changes = (await api.events(people.jose.id)).filter((event) => event.kind === 'RoleChanged');
    expect(changes.map((event) => [event.from, event.to, event.by])).toEqual([
      [['member', 'admin'], ['member'], admin.id],
      [['member'], ['member', 'admin'], admin.id],
    ]);
    const newest = await auditRows(page).filter({ hasText: 'RoleChanged' }).first().textContent();
    expect(newest).toMatch(/Roles changed from .*admin.* to member/);
  });

  browserIt('suspends after a confirmation and restores; the status badge follows', async () => {
    const page = await openPerson('josefa');
    const badge = page.getByTestId('person-status');
    expect(await badge.textContent()).toBe('Active');

    // A modal dialog: focus starts on Cancel (Enter never confirms by accident) and Escape cancels.
    await page.getByRole('button', { name: 'Suspend' }).click();
    const confirm = page.getByRole('dialog', { name: `Suspend ${fullName('josefa')}?` });
    await confirm.waitFor();
    expect(await confirm.getByRole('button', { name: 'Cancel' }).evaluate((button) => button === document.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect((await api.person(people.josefa.id)).status).toBe('active');

    await page.getByRole('button', { name: 'Suspend' }).click();
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Suspend' }).click();
    await page.getByTestId('person-status').filter({ hasText: 'Suspended' }).waitFor();
    expect((await api.person(people.josefa.id)).status).toBe('suspended');
    // The Suspend button is gone (Restore took its place): focus went to what happened, not to <body>.
    await page.waitForFunction(() => document.activeElement !== document.body);
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('suspended');
    await auditRows(page).filter({ hasText: 'Suspended' }).first().waitFor();
    // A suspended person cannot sign in.
    await expect(system.auth.login(people.josefa.email, people.josefa.password)).rejects.toThrow(/→ 401/);

    await page.getByRole('button', { name: 'Restore' }).click();
    const restore = page.getByRole('dialog', { name: `Restore ${fullName('josefa')}?` });
    await restore.getByRole('button', { name: 'Restore' }).click();
    await page.getByTestId('person-status').filter({ hasText: 'Active' }).waitFor();
    expect((await api.person(people.josefa.id)).status).toBe('active');
    await system.auth.login(people.josefa.email, people.josefa.password);
  });

  browserIt('refuses a stale edit from a second page with "changed by someone else" and a reload, overwriting nothing', async () => {
    const first = await openPerson('zoe');
    const second = await openPerson('zoe');
    const before = await api.person(people.zoe.id);

    await first.getByLabel('Title', { exact: true }).fill('Head of Acoustics');
    await first.getByRole('button', { name: 'Save changes' }).click();
    await first.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    expect((await api.person(people.zoe.id)).title).toBe('Head of Acoustics');

    // The second page still holds the version it opened with.
    await second.getByLabel('Title', { exact: true }).fill('Principal Researcher');
    await second.getByRole('button', { name: 'Save changes' }).click();
    const conflict = second.getByRole('alert').filter({ hasText: 'changed by someone else' });
    await conflict.waitFor();
    const after = await api.person(people.zoe.id);
    expect(after.title).toBe('Head of Acoustics');
    expect(after.version).toBe(before.version + 1);

    await conflict.getByRole('button', { name: 'Reload' }).click();
    await conflict.waitFor({ state: 'detached' });
    expect(await second.getByLabel('Title', { exact: true }).inputValue()).toBe('Head of Acoustics');
    expect((await api.person(people.zoe.id)).title).toBe('Head of Acoustics');
  });

  browserIt('exports the current filter as CSV and NDJSON with one row per matching person', async () => {
    const page = await signedIn('/people?department=Acoustics');
    const matching = await api.search({ department: 'Acoustics' });
    expect(matching.length).toBeGreaterThanOrEqual(4);
    // The service's own export of the filter agrees with the list.
    const direct = await api.call('GET', '/users/export?department=Acoustics', { headers: { accept: 'text/csv' } });
    expect(direct.status).toBe(200);
    expect(parse(direct.text, { columns: true, bom: true })).toHaveLength(matching.length);
    await waitForRows(
      page,
      matching.map((person) => person.fullName),
    );

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/^people-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await csvDownload.path(), 'utf8');
    const rows = parse(csv, { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows.length).toBe(matching.length);
    expect(rows.map((row) => row['email']).sort()).toEqual(matching.map((person) => person.email).sort());
    // Names with diacritics arrive intact (UTF-8).
    expect(rows.map((row) => Object.values(row).join(' ')).join('\n')).toContain('Ångström');
    await page
      .getByRole('status')
      .filter({ hasText: `Exported ${matching.length} people` })
      .waitFor();

    const [ndjsonDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export NDJSON' }).click(),
    ]);
    expect(ndjsonDownload.suggestedFilename()).toMatch(/\.ndjson$/);
    const records = readFileSync(await ndjsonDownload.path(), 'utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as { id: string });
    expect(records.map((record) => record.id).sort()).toEqual(matching.map((person) => person.id).sort());
  });

  describe('screenshots and accessibility (1280×800, full page)', () => {
    const axeCounts: string[] = [];

    afterAll(() => {
      if (axeCounts.length > 0) console.log(`axe-core violations by impact:\n${axeCounts.join('\n')}`);
    });

    const check = async (page: Page, label: string, screenshot?: string) => {
      if (screenshot) {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const file = join(SCREENSHOT_DIR, screenshot);
        await page.screenshot({ path: file, fullPage: true });
        expect(statSync(file).size).toBeGreaterThan(10_000);
      }
      const { violations, rulesRun } = await runAxe(page);
      axeCounts.push(`${label}: ${countByImpact(violations)} (${rulesRun} rules applied)`);
      expect(rulesRun).toBeGreaterThan(20);
      expect(blocking(violations)).toEqual([]);
    };

    /** Until nothing on the page says it is loading. */
    const settled = (page: Page) => page.waitForFunction(() => !/Loading/.test(document.body.innerText));

    browserIt('the sign-in page', async () => {
      const page = await open();
      await page.goto(`${system.url}/console/`);
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      await check(page, 'sign-in');
    });

    browserIt('the People list', async () => {
      const page = await signedIn('/people');
      const everyone = await api.search({});
      await waitForRows(
        page,
        everyone.slice(0, 50).map((person) => person.fullName),
      );
      await settled(page);
      await check(page, 'people', 'console-people.png');
    });

    browserIt("a person's page", async () => {
      const page = await openPerson('zoe');
      await page.getByRole('heading', { name: 'Direct reports' }).waitFor();
      await page.getByRole('link', { name: fullName('jose') }).waitFor();
      await auditRows(page).first().waitFor();
      await settled(page);
      await check(page, 'person', 'console-person.png');
    });

    browserIt('the analytics section', async () => {
      const page = await signedIn('/analytics');
      await page.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor();
      await settled(page);
      await check(page, 'analytics', 'console-analytics.png');
    });
  });
});
