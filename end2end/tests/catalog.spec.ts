// Journey: a visitor searches the product catalog, filters it, pages through it, and finds nothing.
import { expect, test, type Page } from '@playwright/test';
import { CatalogPage } from './fixtures/catalog-page';
import { signIn, signOut } from './fixtures/session';

test('a search shows matching parts with part number, description, metric and price in dollars', async ({ page }) => {
  const catalog = new CatalogPage(page);
  await catalog.open();
  await catalog.searchFor('guardian');

  await expect(page).toHaveURL(/\/catalog\?q=guardian$/);
  await expect(catalog.range).toHaveText(/^Showing 1–20 of \d+$/);
  const first = catalog.rows.first();
  await expect(first.locator('td').nth(0)).toHaveText(/^[DE][0-9A-Z]{6}$/);
  await expect(first.locator('td').nth(1)).toContainText('Guardian');
  await expect(first.locator('td').nth(3)).toHaveText(/^\$[\d,]+\.\d{2}/);
  for (const row of await catalog.rows.all()) {
    await expect(row).toContainText('Guardian');
  }
});

test('filtering by licence type and category narrows the results and survives a reload', async ({ page }) => {
  const catalog = new CatalogPage(page);
  await catalog.open();
  await catalog.licenceType.selectOption({ label: 'Annual S&S renewal' });
  await expect(page).toHaveURL(/part_type=sns_renewal/);
  await catalog.category.selectOption('Security');
  await expect(page).toHaveURL(/category=Security/);
  await expect(catalog.rows.first()).toContainText('Security · Annual S&S renewal');
  const total = await catalog.range.textContent();

  await page.reload();
  await expect(catalog.range).toHaveText(total!);
  await expect(catalog.licenceType).toHaveValue('sns_renewal');
  for (const row of await catalog.rows.all()) {
    await expect(row).toContainText('Security · Annual S&S renewal');
  }
});

test('prices switch to rupiah when the visitor picks IDR', async ({ page }) => {
  const catalog = new CatalogPage(page);
  await catalog.open('?q=guardian');
  await catalog.currency.selectOption('IDR');
  await expect(catalog.rows.first().locator('td').nth(3)).toHaveText(/^Rp [\d,]+\.00/);
});

test('the next page button shows the next twenty parts', async ({ page }) => {
  const catalog = new CatalogPage(page);
  await catalog.open();
  await expect(catalog.range).toHaveText(/^Showing 1–20 of /);
  const firstPageFirst = await catalog.rows.first().locator('td').first().textContent();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(catalog.range).toHaveText(/^Showing 21–40 of /);
  await expect(catalog.rows.first().locator('td').first()).not.toHaveText(firstPageFirst!);
  await expect(page.getByRole('button', { name: 'Previous' })).toBeEnabled();
});

test('a search that finds nothing points to the Business Partner or sales rep', async ({ page }) => {
  const catalog = new CatalogPage(page);
  await catalog.open();
  await catalog.searchFor('no such product xyz');
  await expect(page.getByRole('heading', { name: 'No products found' })).toBeVisible();
  await expect(page.getByText('Contact your Business Partner or your sales representative')).toBeVisible();
});

test('signed in, a search that finds nothing names the sales rep, or the Business Partner where one serves the site', async ({ page }) => {
  await signIn(page, 'buyer@express.example', '/catalog?q=no+such+product+xyz');
  await expect(page.locator('#catalog-contact')).toContainText('Your sales representative: Rina Wijaya');
  await expect(page.locator('#catalog-contact').getByRole('link')).toHaveAttribute('href', /^mailto:.+@entitle\.example$/);
  await signOut(page);
  await signIn(page, 'buyer@partnered.example', '/catalog?q=no+such+product+xyz');
  await expect(page.locator('#catalog-contact')).toContainText('Your Business Partner: Rheinland IT Partner AG');
});

test('the catalog speaks Bahasa Indonesia after switching language, and remembers it', async ({ page }) => {
  const catalog = new CatalogPage(page);
  await catalog.open('?q=guardian');
  await page.getByLabel('Language').selectOption('id');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Katalog produk');
  await expect(page.locator('html')).toHaveAttribute('lang', 'id');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Katalog produk');
  await expect(page.getByText(/^Menampilkan 1–20 dari \d+$/)).toBeVisible();
});

test.describe('a first visit (no service worker yet)', () => {
  test.use({ serviceWorkers: 'block' });

  /** Every API and pack request the page sends from now on, with the script that sent it. */
  async function watchRequests(page: Page): Promise<{ path: string; by: string }[]> {
    const asked: { path: string; by: string }[] = [];
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    cdp.on('Network.requestWillBeSent', (e) => {
      const u = new URL(e.request.url);
      if (!u.pathname.startsWith('/api/') && !/\/pack_[a-z_]+\.bin$/.test(u.pathname)) return;
      // The innermost frame of the sending script (async callbacks included), e.g. …/boot.js.
      let stack = e.initiator.stack;
      let by = '';
      while (stack && !by) {
        by = stack.callFrames.find((f) => f.url)?.url ?? '';
        stack = stack.parent;
      }
      asked.push({ path: u.pathname + u.search, by: new URL(by || 'about:blank').pathname.split('/').pop() ?? '' });
    });
    return asked;
  }

  test('opening the catalog signed in asks at boot, at once, for the session, the route and the search', async ({ page }) => {
    await signIn(page, 'buyer@express.example', '/catalog');
    // The catalog sign-in led to may still be starting (compiling its modules makes no requests, so
    // "network idle" alone can come before its search): wait for its results, then for quiet, so
    // only what the new page asks for counts.
    await expect(page.locator('table.parts:not(.skeleton) tbody tr').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    const asked = await watchRequests(page);
    await page.goto('/catalog?q=Guardian');
    await expect(page.locator('table.parts:not(.skeleton) tbody tr').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    const seen = asked.map((a) => `${a.path} (${a.by})`).join(' ');
    expect(asked.filter((a) => a.path === '/api/v1/session'), seen).toEqual([{ path: '/api/v1/session', by: 'boot.js' }]);
    // The search is sent by boot.js as soon as the session names the site, and the app takes its answer.
    const searches = asked.filter((a) => a.path.startsWith('/api/v1/catalog/parts?'));
    expect(searches, seen).toHaveLength(1);
    expect(searches[0].path).toContain('q=Guardian');
    expect(searches[0].path).toMatch(/&site=\d+$/);
    expect(searches[0].by, seen).toBe('boot.js');
    // The modules of the route's group come in one file, asked for by boot.js beside the session.
    expect(asked.filter((a) => a.path.endsWith('/pack_browse.bin')), seen).toHaveLength(1);
  });

  test('opening a renewal quote asks for the quote at boot, once', async ({ page }) => {
    await signIn(page, 'primary@nusantara.example', '/renewals');
    const groups: { quotes: { quote_number: string }[] }[] = await (await page.request.get('/api/v1/renewals?group=awaiting')).json();
    const quote = groups.flatMap((g) => g.quotes)[0]?.quote_number;
    expect(quote, 'an open renewal quote').toBeTruthy();
    await page.waitForLoadState('networkidle');
    const asked = await watchRequests(page);
    await page.goto(`/renewals/${quote}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(quote!);
    await page.waitForLoadState('networkidle');
    const seen = asked.map((a) => `${a.path} (${a.by})`).join(' ');
    const quotes = asked.filter((a) => a.path === `/api/v1/renewals/${quote}`);
    expect(quotes, seen).toEqual([{ path: `/api/v1/renewals/${quote}`, by: 'boot.js' }]);
  });
});
