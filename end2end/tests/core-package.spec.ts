// The npm package @entitle/core against the portal: a plain Node script (core/js/examples/
// renewal-quote.mjs, importing the package installed from its `npm pack` tarball by
// scripts/test-core-js.sh) prices the demo's Jakarta renewal quote from the portal's API, and its
// total is the one the portal computes and shows.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, signIn } from './fixtures/session';

const script = path.resolve(__dirname, '../../core/js/examples/renewal-quote.mjs');

test('a Node script prices the Jakarta renewal quote with the npm package to the total the portal shows', async ({ page, baseURL }) => {
  const run = spawnSync(process.execPath, [script, baseURL!, 'primary@nusantara.example', DEMO_PASSWORD, '7034521'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  const result = JSON.parse(run.stdout.trim().split('\n').pop()!);
  expect(result.same).toBe(true);
  expect(result.lines).toBeGreaterThan(1);
  expect(result.package_total).toBe(result.portal_total);

  await signIn(page, 'primary@nusantara.example', `/renewals/${result.quote_number}`);
  // Shown in the reader's language; either way the very figure the package computed.
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await expect(page.locator('#quote-total')).toHaveText(
    new RegExp(`^(${escape(result.package_total_en)}|${escape(result.package_total_id)})$`),
  );
});

// What a web page does with the package: import it as an ES module and call it (kept as page source,
// not a function Playwright would transpile).
const PAGE = `<!doctype html><title>@entitle/core</title><script type="module">
import * as core from './index.js';
const cart = core.priceCart({
  price_list: [{ part: 'E0ABCLL', part_type: 'sns_renewal', points_per_unit: 10, prices: [{ currency: 'IDR', level: 'E', amount: '1500000.00' }] }],
  customer: { agreement: 'relationship', level: 'E', points: 1200, country: 'ID', currency: 'IDR', anniversary: '2027-03-31', today: '2026-12-01' },
  lines: [{ part: 'E0ABCLL', quantity: 2, term: { kind: 'coverage', start: '2027-03-31', end: '2028-03-31' } }],
  locale: 'id',
});
window.answers = {
  total: core.formatMoney(cart.value.total, 'IDR', 'id'),
  reasons: cart.value.lines[0].explanations.map((e) => e.text),
  card: core.checkCardNumber('4111 1111 1111 1112', 'id'),
  reference: core.checkOrderReference('EN-12345-76894', 'en').problems[0].code,
};
</script>`;

test('the npm package works in a browser as an ES module, with the answers Node gives', async ({ page }) => {
  // The installed package served from an origin of its own, as a CDN or a bundler's output would be.
  const pkg = path.resolve(__dirname, '../../core/js/node_modules/@entitle/core');
  const types: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm' };
  await page.route('http://package.test/**', async (route) => {
    const file = new URL(route.request().url()).pathname;
    if (file === '/') {
      await route.fulfill({ contentType: 'text/html', body: PAGE });
      return;
    }
    await route.fulfill({ path: path.join(pkg, file), contentType: types[path.extname(file)] ?? 'application/octet-stream' });
  });
  await page.goto('http://package.test/');
  await page.waitForFunction(() => 'answers' in window);
  const answers = await page.evaluate(() => (window as unknown as { answers: Record<string, unknown> }).answers);
  expect(answers.total).toBe('Rp 3.330.000,00');
  expect(answers.reasons).toEqual(['tingkat harga E', 'PPN 12% atas 11/12 harga']);
  expect(answers.card).toEqual({
    status: 'invalid',
    problems: [{ field: 'number', code: 'card.luhn', message: 'Nomor kartu tidak valid; periksa apakah ada digit yang salah ketik' }],
  });
  expect(answers.reference).toBe('order_ref.check_digit');
});
