/**
 * The admin console's first load and time to first search result, in Debian's Chromium against a
 * running system (issue 15: "page weight of the console's first load (gzip) and time to first
 * search result on the demo data"). A measurement, not a test: it prints figures and asserts nothing.
 *
 *   npm start            # in another terminal: the gateway on :8080 with the demo data
 *   npx tsx --tsconfig tsconfig.base.json bench/console-load.ts --url http://localhost:8080 \
 *     --email <admin email> --password <password> [--query ana] [--runs 5]
 *
 * CONSOLE_ADMIN_EMAIL / CONSOLE_ADMIN_PASSWORD may stand in for --email / --password.
 *
 * 1. A fresh browser (empty cache, no service worker) opens <url>/console/; every response until
 *    the network is idle is the first load: bytes on the wire (CDP Network.loadingFinished
 *    `encodedDataLength`: compressed body and headers, what the gateway's gzip saves shows here)
 *    and decoded body bytes (Network.dataReceived `dataLength`), per resource and in total.
 * 2. It signs in with the form and waits for the People list.
 * 3. Per run it types a query into "Name or email" as a person would (one key at a time) and
 *    measures, inside the page (performance.now(), no round trip to this process), from the last
 *    keystroke to the first row of that query's answer. That includes the console's typing pause
 *    (the search starts once typing stops) and the request through the gateway.
 */
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { chromium, type CDPSession, type Page } from 'playwright-core';

function arg(name: string, fallback?: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}

interface Resource {
  url: string;
  type: string;
  status: number;
  encoding: string;
  /** Bytes received for it: headers and the (compressed) body. */
  wire: number;
  /** The body after decoding. */
  decoded: number;
}

/** Records every response of the page through the DevTools protocol, until `stop`. */
async function recordNetwork(cdp: CDPSession): Promise<{ resources: () => Resource[] }> {
  const byId = new Map<string, Resource>();
  const finished = new Set<string>();
  cdp.on('Network.responseReceived', (event) => {
    const headers = Object.fromEntries(Object.entries(event.response.headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
    byId.set(event.requestId, {
      url: event.response.url,
      type: event.type ?? 'Other',
      status: event.response.status,
      encoding: headers['content-encoding'] ?? 'identity',
      wire: 0,
      decoded: 0,
    });
  });
  cdp.on('Network.dataReceived', (event) => {
    const resource = byId.get(event.requestId);
    if (resource) resource.decoded += event.dataLength;
  });
  cdp.on('Network.loadingFinished', (event) => {
    const resource = byId.get(event.requestId);
    if (resource) resource.wire = event.encodedDataLength;
    finished.add(event.requestId);
  });
  await cdp.send('Network.enable');
  // A cold cache: nothing from an earlier visit (a fresh profile has none; this makes sure).
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  return { resources: () => [...byId.entries()].filter(([id]) => finished.has(id)).map(([, resource]) => resource) };
}

/**
 * Debian's chromium, as the browser tests use it (libs/testing's findChromium, whose module also
 * holds Jest helpers this script does not type-check against).
 */
function chromiumPath(): string {
  const path = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/lib/chromium/chromium'].find(
    (candidate) => candidate && existsSync(candidate),
  );
  if (!path) throw new Error('Chromium not found: apt-get install -y chromium, or set CHROMIUM_PATH');
  return path;
}

/**
 * The body's size when the server is asked for gzip only. Chromium asks for brotli and zstd too,
 * and the gateway answers brotli when offered; the issue asks for the gzip weight, so each
 * resource is fetched once more from this process, counting the bytes as they arrive.
 */
function gzipBody(url: string): Promise<{ bytes: number; encoding: string }> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ bytes, encoding: String(res.headers['content-encoding'] ?? 'identity') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Runs in the page: remembers the time of each input event and of the first row of the answer to it. */
const INSTALL_PROBE = `(() => {
  const probe = (window.__consoleLoad = { lastInput: 0, sawBusy: false, firstRow: 0, empty: false });
  document.addEventListener('input', () => {
    probe.lastInput = performance.now();
    probe.sawBusy = false;
    probe.firstRow = 0;
    probe.empty = false;
  }, true);
  const check = () => {
    if (!probe.lastInput || probe.firstRow) return;
    const table = document.querySelector('table[aria-busy]');
    // The previous answer stays on screen, dimmed (aria-busy), until the new one arrives.
    if (table && table.getAttribute('aria-busy') === 'true') probe.sawBusy = true;
    else if (probe.sawBusy && table && table.querySelector('tbody tr')) probe.firstRow = performance.now();
    else if (probe.sawBusy && !table && /No one matches/.test(document.body.innerText)) { probe.firstRow = performance.now(); probe.empty = true; }
  };
  new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
})()`;

interface SearchTiming {
  query: string;
  ms: number;
  rows: number;
  empty: boolean;
}

/**
 * The page's globals, typed just enough for the functions this script hands to Chromium (bench/
 * compiles without the DOM library). Functions, not strings: the console's CSP has no
 * 'unsafe-eval', so a string predicate would be refused.
 */
interface PageGlobals {
  location: { href: string };
  document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
  __consoleLoad: { lastInput: number; firstRow: number; empty: boolean };
}

async function timeSearch(page: Page, query: string): Promise<SearchTiming> {
  const field = page.getByLabel('Name or email');
  await field.fill('');
  // The cleared field's own search settles first, so the measured one starts from a quiet page.
  await page.waitForFunction(() => {
    const g = globalThis as unknown as PageGlobals;
    return (
      new URL(g.location.href).searchParams.get('q') === null &&
      g.document.querySelector('table[aria-busy]')?.getAttribute('aria-busy') === 'false'
    );
  });
  await field.pressSequentially(query, { delay: 60 });
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__consoleLoad.firstRow > 0, undefined, { timeout: 60_000 });
  const probe = await page.evaluate(() => (globalThis as unknown as PageGlobals).__consoleLoad);
  const rows = await page.locator('table[aria-busy] tbody tr').count();
  return { query, ms: probe.firstRow - probe.lastInput, rows: probe.empty ? 0 : rows, empty: probe.empty };
}

/** Queries an admin might type: the first letters of names on the first page of the list, without accents. */
function queriesFrom(names: string[], runs: number): string[] {
  const picks = new Set<string>();
  for (let i = names.length - 1; i >= 0 && picks.size < runs; i -= Math.max(1, Math.floor(names.length / runs))) {
    const word = (names[i] ?? '').split(/\s+/)[0] ?? '';
    const plain = word
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z]/g, '');
    if (plain.length >= 3) picks.add(plain.slice(0, 3));
  }
  return [...picks];
}

async function main(): Promise<void> {
  const url = (arg('url', 'http://localhost:8080') as string).replace(/\/$/, '');
  const email = arg('email', process.env['CONSOLE_ADMIN_EMAIL']);
  const password = arg('password', process.env['CONSOLE_ADMIN_PASSWORD']);
  const runs = Number(arg('runs', '5'));
  if (!email || !password)
    throw new Error('an admin login is needed: --email and --password (or CONSOLE_ADMIN_EMAIL / CONSOLE_ADMIN_PASSWORD)');
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const cdp = await page.context().newCDPSession(page);
    const network = await recordNetwork(cdp);

    await page.goto(`${url}/console/`, { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    const firstLoad = await Promise.all(network.resources().map(async (resource) => ({ ...resource, gzip: await gzipBody(resource.url) })));
    const sum = (bytes: (resource: (typeof firstLoad)[number]) => number) =>
      firstLoad.reduce((total, resource) => total + bytes(resource), 0);
    console.log(`First load of ${url}/console/ (cold cache, until the network is idle): ${firstLoad.length} responses`);
    console.table(
      firstLoad.map((resource) => ({
        resource: new URL(resource.url).pathname,
        type: resource.type,
        status: resource.status,
        'browser got': `${kib(resource.wire)} (${resource.encoding})`,
        'gzip body': `${kib(resource.gzip.bytes)} (${resource.gzip.encoding})`,
        uncompressed: kib(resource.decoded),
      })),
    );
    const encodings = [...new Set(firstLoad.map((resource) => resource.encoding))].join(', ');
    console.log(
      `First-load weight: ${kib(sum((r) => r.gzip.bytes))} gzip (bodies), ${kib(sum((r) => r.decoded))} uncompressed; ` +
        `the browser received ${kib(sum((r) => r.wire))} with headers (${encodings})`,
    );

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor({ timeout: 60_000 });
    await page.locator('table[aria-busy="false"] tbody tr').first().waitFor({ timeout: 60_000 });
    const names = await page.locator('tbody th[scope="row"] a').allTextContents();

    await page.evaluate(INSTALL_PROBE);
    const queries = arg('query') ? [arg('query') as string] : queriesFrom(names, runs);
    const timings: SearchTiming[] = [];
    for (const query of queries) timings.push(await timeSearch(page, query));
    console.log('\nTime from the last keystroke to the first result row (includes the console’s typing pause):');
    console.table(timings.map((t) => ({ query: t.query, ms: Math.round(t.ms), rows: t.empty ? 'none match' : t.rows })));
    const sorted = timings.map((t) => t.ms).sort((a, b) => a - b);
    const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
    console.log(`Median: ${Math.round(median)} ms over ${sorted.length} searches (first: ${Math.round(timings[0]?.ms ?? NaN)} ms)`);
  } finally {
    await browser.close();
  }
}

main().catch((error: Error) => {
  console.error(`console-load: ${error.message}`);
  process.exit(1);
});
