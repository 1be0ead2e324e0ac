// Screenshots of every screen at a 1280-px desktop and a 390-px phone, for a person to look at them all
// at once: `./dev.sh screenshots [folder]` (default ./screenshots, not committed). Starts the debug
// server on a fresh SQLite file with the demo data, drives Debian's Chromium with Playwright, and
// writes <folder>/<width>/<nn>-<screen>.png.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = await import(path.join(root, 'end2end/node_modules/playwright/index.mjs'));
const out = path.resolve(process.argv[2] ?? path.join(root, 'screenshots'));
const port = Number(process.env.ENTITLE_SHOTS_PORT ?? 3390);
const base = `http://127.0.0.1:${port}`;
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'entitle-shots-'));

const server = spawn(path.join(root, 'target/debug/entitle-server'), [], {
  env: {
    ...process.env,
    ENTITLE_DEMO: '1',
    DATABASE_URL: `sqlite://${data}/entitle.db`,
    ENTITLE_SITE_DIR: path.join(root, 'app/dist'),
    ENTITLE_ADDR: `127.0.0.1:${port}`,
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

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox'] });

async function settle(page) {
  await page.waitForLoadState('networkidle');
  await page.locator('.skeleton').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
}

// The demo administrator's authenticator (server/src/db/demo/customers.rs): RFC 6238 codes, each step
// used once, the next allowed step taken for the next sign-in.
const ADMIN_TOTP_SECRET = 'ENTITLEDEMOADMINTOTPKEY234567ABC';
let lastStep = 0;
function adminCode() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...ADMIN_TOTP_SECRET].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const now = Math.floor(Date.now() / 30_000);
  const step = Math.max(now, lastStep + 1);
  lastStep = step;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

async function signIn(page, email, onSecondStep = async () => {}) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill('entitle-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (email === 'admin@entitle.example') {
    await page.getByLabel('Authentication code').waitFor();
    await onSecondStep(page);
    await page.getByLabel('Authentication code').fill(adminCode());
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  await page.locator('.account-menu').waitFor({ state: 'attached' });
}

let written = 0;
for (const [width, height] of [[1280, 800], [390, 844]]) {
  const dir = path.join(out, String(width));
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  const shot = async (page, name) => {
    await settle(page);
    await page.screenshot({ path: path.join(dir, `${String(++n).padStart(2, '0')}-${name}.png`), fullPage: true });
    written++;
  };
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  for (const [route, name] of [['/', 'home-signed-out'], ['/catalog?q=Guardian', 'catalog'], ['/sign-in', 'sign-in']]) {
    await page.goto(base + route);
    await shot(page, name);
  }
  if (width < 700) {
    await page.getByRole('button', { name: 'Menu' }).click();
    await shot(page, 'menu-open');
    await page.getByRole('button', { name: 'Menu' }).click();
  }

  await signIn(page, 'primary@nusantara.example');
  await page.goto(`${base}/renewals`);
  await shot(page, 'renewals');
  const quote = await page.locator('table.data tbody a').first().getAttribute('href');
  await page.goto(base + quote);
  await shot(page, 'renewal-quote');
  for (const [route, name] of [['/', 'home-signed-in'], ['/coverage', 'coverage'], ['/quotes', 'quotes'], ['/saved-carts', 'saved-carts'], ['/site-users', 'site-users'], ['/access-requests', 'access-requests']]) {
    await page.goto(base + route);
    await shot(page, name);
  }
  await page.goto(`${base}/catalog?q=Guardian`);
  await settle(page);
  const part = await page.locator('table.parts:not(.skeleton) tbody a').first().getAttribute('href');
  await page.goto(base + part);
  await shot(page, 'part');
  await page.locator('#add-to-cart').click();
  await page.waitForURL(/\/cart$/);
  await page.getByRole('heading', { level: 1, name: 'Cart' }).waitFor();
  await shot(page, 'cart');
  await page.goto(`${base}/checkout`);
  await shot(page, 'checkout-billing');
  await page.getByRole('button', { name: 'Continue' }).click();
  await shot(page, 'checkout-errors');
  await page.getByLabel('Company or name').fill('PT Nusantara Data');
  await page.getByLabel('Street address').fill('Jl. Basuki Rahmat 8');
  await page.getByLabel('City').fill('Surabaya');
  await page.getByLabel('Postal code').fill('60271');
  await page.getByLabel('State or province').fill('Jawa Timur');
  await page.getByLabel('Name', { exact: true }).fill('Dewi Lestari');
  await page.getByLabel('E-mail address').fill('primary@nusantara.example');
  const taxId = page.getByLabel(/NPWP/);
  if (await taxId.count()) await taxId.first().fill('0123456789012345');
  await page.getByLabel('I agree to the terms and conditions').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await shot(page, 'checkout-review');
  const po = page.getByLabel('Purchase order', { exact: true });
  if (await po.count()) {
    await po.check();
    await page.getByLabel('PO number').fill(`PO-SHOT-${width}`);
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.waitForURL(/\/orders\/EN-/, { timeout: 15_000 }).catch(() => {});
    await shot(page, 'order-confirmation');
  }
  await page.goto(`${base}/orders`);
  await shot(page, 'orders');
  await context.close();

  for (const [email, routes] of [
    ['renewals@entitle.example', [['/desk', 'desk'], ['/desk/change-requests', 'desk-change-requests'], ['/desk/orders', 'desk-orders']]],
    ['sales@entitle.example', [['/desk/quote-requests', 'desk-quote-requests'], ['/account/security', 'security-staff']]],
    ['admin@entitle.example', [['/desk/audit', 'desk-audit'], ['/account/security', 'security-admin']]],
  ]) {
    const staff = await browser.newContext({ viewport: { width, height } });
    const p = await staff.newPage();
    await signIn(p, email, (page) => shot(page, 'sign-in-second-step'));
    for (const [route, name] of routes) {
      await p.goto(base + route);
      await shot(p, name);
    }
    await staff.close();
  }
}
await browser.close();
console.log(`${written} screenshots in ${out}`);
process.exit(0);
