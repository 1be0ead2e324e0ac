// Lighthouse (mobile preset: simulated slow 4G and a 4x slower CPU) on the three screens #13 names:
// catalog search, a renewal quote and the checkout's review step, signed in as a demo buyer; three runs
// each, the median printed with LCP, TBT, CLS, FCP and the accessibility score. It also checks, from
// the requests Lighthouse saw, that the route's modules, the session and the screen's data are asked for
// while the main module downloads, not after it (no chain session -> route chunk -> data).
//
//   node scripts/lighthouse.mjs SERVER_BINARY [RUNS]
//
// Starts SERVER_BINARY on a fresh SQLite file with the demo data and the built app (app/dist). Prints a
// Markdown table; exits 1 when a run fails (not when a score is below its target: that is reported).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modules = path.join(root, 'tools/lighthouse/node_modules');
const { default: lighthouse } = await import(pathToFileURL(path.join(modules, 'lighthouse/core/index.js')));
const { default: puppeteer } = await import(pathToFileURL(path.join(modules, 'puppeteer-core/lib/esm/puppeteer/puppeteer-core.js')));

const binary = path.resolve(process.argv[2] ?? path.join(root, 'target/release/entitle-server'));
const runs = Number(process.argv[3] ?? 3);
const port = Number(process.env.ENTITLE_LIGHTHOUSE_PORT ?? 3391);
const base = `http://127.0.0.1:${port}`;
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'entitle-lighthouse-'));
const BUYER = 'buyer@express.example';

const server = spawn(binary, [], {
  env: {
    ...process.env,
    ENTITLE_DEMO: '1',
    DATABASE_URL: `sqlite://${data}/entitle.db`,
    ENTITLE_SITE_DIR: path.join(root, 'app/dist'),
    ENTITLE_ADDR: `127.0.0.1:${port}`,
    RUST_LOG: 'warn',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const stop = () => { server.kill(); fs.rmSync(data, { recursive: true, force: true }); };
process.on('exit', stop);
for (let i = 0; ; i++) {
  try { if ((await fetch(`${base}/api/v1/health`)).ok) break; } catch { /* not up yet */ }
  if (i > 300) throw new Error('the server did not start');
  await new Promise((r) => setTimeout(r, 200));
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox'],
});
const page = await browser.newPage();

// Signed in as a person does it; the session cookie stays in the browser for every run.
await page.goto(`${base}/sign-in`);
await page.waitForSelector('input[type=email]');
await page.type('input[type=email]', BUYER);
await page.type('input[type=password]', 'entitle-demo');
await page.click('button[type=submit]');
await page.waitForSelector('.account-menu');

// A renewal quote of the buyer, and a catalog part in the cart for the checkout.
const scene = await page.evaluate(async () => {
  const session = await (await fetch('/api/v1/session')).json();
  const site = session.sites.find((s) => s.privileges.buy).customer_number;
  const groups = await (await fetch('/api/v1/renewals')).json();
  const quote = groups.flatMap((g) => g.quotes).find((q) => q.status === 'issued').quote_number;
  const search = await (await fetch(`/api/v1/catalog/parts?q=Guardian&site=${site}`)).json();
  const part = search.items.find((p) => p.part_type !== 'monthly' && p.part_type !== 'subscription');
  const add = await fetch('/api/v1/cart/lines', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
    body: JSON.stringify({ site, part_number: part.part_number, quantity: 1 }),
  });
  if (!add.ok) throw new Error(`adding to the cart: ${add.status} ${await add.text()}`);
  return { quote };
});

// The checkout's details, filled in once: the draft stays on the device, so the review step opens.
await page.goto(`${base}/checkout`);
// Fields by their accessible name, as a person finds them.
const fill = async (label, value) => {
  const field = await page.waitForSelector(`::-p-aria(${label}[role="textbox"])`);
  await field.click({ count: 3 });
  await field.type(value);
};
await fill('Company or name', 'Express Labs Inc.');
await fill('Street address', '500 Market Street');
await fill('City', 'San Francisco');
await fill('State or province', 'CA');
await fill('Postal code', '94105');
await fill('Name', 'Jordan Reyes');
await fill('E-mail address', 'jordan@express.example');
await (await page.waitForSelector('::-p-aria(I agree to the terms and conditions)')).click();
await (await page.waitForSelector('::-p-aria(Continue[role="button"])')).click();
await page.waitForFunction(() => location.search.includes('step=review') && document.querySelector('#review-total'));

const screens = [
  ['catalog search', '/catalog?q=server'],
  ['renewal quote', `/renewals/${scene.quote}`],
  ['checkout review', '/checkout?step=review'],
];

const cdp = await page.createCDPSession();
const results = [];
for (const [name, route] of screens) {
  const got = [];
  for (let i = 0; i < runs; i++) {
    // A first visit: no HTTP cache, no service worker, but the session and the checkout draft kept.
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Storage.clearDataForOrigin', { origin: base, storageTypes: 'service_workers,cache_storage' });
    const r = await lighthouse(`${base}${route}`, {
      logLevel: 'error', output: 'json', disableStorageReset: true, onlyCategories: ['performance', 'accessibility'],
    }, undefined, page);
    const lhr = r.lhr;
    // LIGHTHOUSE_REPORTS=<dir> keeps each run's full report, to see where the time goes.
    if (process.env.LIGHTHOUSE_REPORTS) {
      const file = `${process.env.LIGHTHOUSE_REPORTS}/${name.replaceAll(' ', '-')}-${i + 1}.json`;
      (await import('node:fs')).writeFileSync(file, r.report);
    }
    if (lhr.runtimeError) throw new Error(`${name}: ${lhr.runtimeError.message}`);
    const a = lhr.audits;
    got.push({
      performance: Math.round(lhr.categories.performance.score * 100),
      accessibility: Math.round(lhr.categories.accessibility.score * 100),
      fcp: a['first-contentful-paint'].numericValue,
      lcp: a['largest-contentful-paint'].numericValue,
      tbt: a['total-blocking-time'].numericValue,
      cls: a['cumulative-layout-shift'].numericValue,
      chain: chainCheck(a['network-requests'].details.items, lhr.finalDisplayedUrl),
    });
  }
  got.sort((x, y) => x.performance - y.performance);
  const median = got[Math.floor(got.length / 2)];
  results.push({ name, route, median, scores: got.map((g) => g.performance) });
  console.log(`[lighthouse] ${name}: performance ${got.map((g) => g.performance).join(', ')}; accessibility ${median.accessibility}`);
}

// The route's pack, the session and the screen's data must be asked for by boot.js as soon as it runs,
// not after the main module has been compiled and started (which takes far longer on a phone). Timings
// are those observed on this machine's loopback.
function chainCheck(requests, url) {
  const find = (test) => requests.find((r) => test(new URL(r.url)));
  const boot = find((u) => u.pathname.endsWith('/boot.js'));
  const packsJs = find((u) => u.pathname.endsWith('/packs.js'));
  const pack = find((u) => /\/pack_[a-z_]+\.bin$/.test(u.pathname));
  const session = find((u) => u.pathname === '/api/v1/session');
  const problems = [];
  if (!boot || !packsJs) return ['boot.js or packs.js not loaded'];
  if (!pack) problems.push(`no route pack for ${url}`);
  if (!session) problems.push('no session request');
  const booted = Math.max(boot.networkEndTime, packsJs.networkEndTime);
  if (pack && pack.networkRequestTime > booted + 100) problems.push('the route pack was not asked for at boot');
  if (session && session.networkRequestTime > booted + 100) problems.push('the session was not asked for at boot');
  // The screen's data: asked for by boot.js too, at once or as soon as the session says which site.
  const screen = new URL(url).pathname;
  const wanted = screen.startsWith('/renewals/') ? '/api/v1/renewals/' : screen === '/checkout' ? '/api/v1/checkout' : '/api/v1/catalog/parts';
  const data = find((u) => u.pathname.startsWith(wanted));
  if (!data) problems.push(`no ${wanted} request`);
  else if (session && data.networkRequestTime > Math.max(booted, session.networkEndTime) + 100) {
    problems.push(`${wanted} was asked for after the app started, not at boot`);
  }
  return problems;
}

await browser.close();

const ms = (v) => `${(v / 1000).toFixed(2)} s`;
console.log('\n| screen (mobile, median of ' + runs + ') | performance | accessibility | LCP | TBT | CLS | FCP | requests in parallel |');
console.log('|---|---|---|---|---|---|---|---|');
const failures = [];
for (const { name, median, scores } of results) {
  const chain = median.chain.length ? median.chain.join('; ') : 'yes';
  console.log(`| ${name} | ${median.performance} (${scores.join(', ')}) | ${median.accessibility} | ${ms(median.lcp)} | ${Math.round(median.tbt)} ms | ${median.cls.toFixed(3)} | ${ms(median.fcp)} | ${chain} |`);
  if (median.performance < 95) failures.push(`${name}: performance ${median.performance} < 95`);
  if (median.accessibility < 100) failures.push(`${name}: accessibility ${median.accessibility} < 100`);
  if (median.chain.length) failures.push(`${name}: ${chain}`);
}
console.log(failures.length ? `\nTargets missed:\n${failures.map((f) => `- ${f}`).join('\n')}` : '\nTargets: every screen >= 95 performance and 100 accessibility, route loads in parallel.');
process.exit(0);
