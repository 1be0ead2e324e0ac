// Every screen family at a 1280-px desktop and a 390-px phone: nothing scrolls sideways, checkboxes and
// radios sit beside their labels, the header collapses into a menu on the phone, the checkout's step
// indicator reads as its steps' names, and every money block adds up (rows to the total, lines to the
// subtotal) on the quote, the cart, the review step and the order.
import { expect, test, type Page } from '@playwright/test';
import { orderByPurchaseOrder } from './fixtures/api';
import { expectCustomerWords, expectMoneyAddsUp, expectScreenFits, WIDTHS } from './fixtures/screen';
import { signIn } from './fixtures/session';

const SURABAYA = { name: 'PT Nusantara Data', line1: 'Jl. Basuki Rahmat 8', line2: '', city: 'Surabaya', region: 'Jawa Timur', postal_code: '60271', country: 'ID' };

/** A renewal quote of the signed-in customer: one awaiting action, else (earlier specs ordered them
 *  all) the one their latest renewal order ordered — its page shows the same money block. */
async function aRenewalQuote(page: Page): Promise<string> {
  const groups: { quotes: { quote_number: string }[] }[] = await (await page.request.get('/api/v1/renewals?group=awaiting')).json();
  const open = groups.flatMap((g) => g.quotes)[0]?.quote_number;
  if (open) return `/renewals/${open}`;
  const orders: { renewal_quote: string | null }[] = await (await page.request.get('/api/v1/orders')).json();
  const ordered = orders.find((o) => o.renewal_quote)?.renewal_quote;
  expect(ordered, 'a renewal quote to look at').toBeTruthy();
  return `/renewals/${ordered}`;
}

async function settle(page: Page) {
  await expect(page.locator('.skeleton')).toHaveCount(0);
  await page.waitForLoadState('networkidle');
}

for (const size of WIDTHS) {
  test.describe(`at ${size.width} px`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test('signed-out screens fit, and the header collapses into a menu on a phone', async ({ page }) => {
      for (const path of ['/', '/catalog?q=Guardian', '/sign-in', '/reset-password']) {
        await page.goto(path);
        await settle(page);
        await expectScreenFits(page, `${path} at ${size.width}`);
        await expectCustomerWords(page, `${path} at ${size.width}`);
      }
      const catalogLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Product catalog' });
      const header = await page.locator('.site-header').boundingBox();
      if (size.width < 700) {
        await expect(catalogLink).toBeHidden();
        expect(header!.height, 'the collapsed header is one bar').toBeLessThan(80);
        await page.getByRole('button', { name: 'Menu' }).click();
        await expect(catalogLink).toBeVisible();
        await catalogLink.click();
        await expect(page).toHaveURL(/\/catalog$/);
        await expect(catalogLink).toBeHidden();
      } else {
        await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
        await expect(catalogLink).toBeVisible();
      }
    });

    test('signed-in screens fit, and the quote, cart, review and order add up', async ({ page }) => {
      test.setTimeout(180_000);
      await signIn(page, 'primary@nusantara.example', '/renewals');
      const quote = await aRenewalQuote(page);
      await page.goto('/catalog?q=Guardian');
      await settle(page);
      const part = await page.locator('table.parts:not(.skeleton) tbody a').first().getAttribute('href');
      for (const path of ['/', '/renewals', '/coverage', '/orders', '/quotes', '/saved-carts', '/access-requests', '/site-users', part!]) {
        await page.goto(path);
        await settle(page);
        await expectScreenFits(page, `${path} at ${size.width}`);
        await expectCustomerWords(page, `${path} at ${size.width}`);
      }

      // Home is a dashboard: each tile a figure and a link.
      await page.goto('/');
      for (const [tile, href] of [['renewals', '/renewals'], ['coverage', '/coverage'], ['cart', '/cart'], ['orders', '/orders'], ['quotes', '/quotes']]) {
        await expect(page.locator(`#dash-${tile} .figure`)).toHaveText(/^\d+$/);
        await expect(page.locator(`#dash-${tile} a`)).toHaveAttribute('href', href);
      }
      await expect(page.locator('#dash-renewals .muted')).toHaveText(/^(Next due \d{1,2} [A-Z][a-z]{2} \d{4}|Nothing due)$/);

      // The renewal quote: lines add up to the subtotal, rows to the total (PPN on 11/12 of the net).
      await page.goto(quote!);
      await settle(page);
      await expectScreenFits(page, `${quote} at ${size.width}`);
      await expectMoneyAddsUp(page, `${quote} at ${size.width}`);
      await expect(page.locator('dl.money-summary [data-row=tax] dt')).toHaveText(/^PPN 12% on 11\/12 of Rp /);

      // A catalog part in the cart, then the checkout's first step.
      await page.goto(part!);
      await page.locator('#add-to-cart').click();
      await expect(page).toHaveURL(/\/cart$/);
      await settle(page);
      await expectScreenFits(page, `/cart at ${size.width}`);
      await expectMoneyAddsUp(page, `/cart at ${size.width}`);
      await page.goto('/checkout');
      await expect(page.locator('ol.steps li')).toHaveText(['Billing and shipping', 'Review and submit', 'Order confirmation']);
      // Billing starts from what the portal knows (the organisation and the user, or the last order).
      await expect(page.getByLabel('Company or name')).not.toHaveValue('');
      await expect(page.getByLabel('E-mail address')).toHaveValue(/.+@.+/);
      await expectScreenFits(page, `/checkout at ${size.width}`);
      await page.goto('/cart');
      await page.locator('table.cart tbody tr button.link').first().click();
      await expect(page.locator('.empty')).toBeVisible();

      // A placed order: its page shows the same rows, and they add up.
      const reference = await orderByPurchaseOrder(page, '7034522', SURABAYA, '0123456789012345');
      await page.goto(`/orders/${reference}`);
      await expect(page.locator('#order-reference-number')).toHaveText(reference);
      await expectScreenFits(page, `the order at ${size.width}`);
      await expectMoneyAddsUp(page, `the order at ${size.width}`);
      await expect(page.locator('dl.money-summary [data-row=tax] dt')).toHaveText(/^PPN 12% on 11\/12 of Rp /);
    });

    test('desk screens fit: queues as tables with names, ages and badges, orders found and paged, the audit log in words', async ({ page }) => {
      test.setTimeout(120_000);
      await signIn(page, 'admin@entitle.example', '/desk');
      await expect(page.locator('#queues tbody tr')).toHaveCount(3);
      for (const id of ['change-requests', 'quote-requests', 'orders']) {
        await expect(page.locator(`#count-${id}`)).toHaveText(/^\d+$/);
        await expect(page.locator(`#count-${id}`)).toHaveClass(/count/);
      }
      for (const path of ['/desk', '/desk/change-requests', '/desk/quote-requests', '/desk/orders', '/desk/audit']) {
        await page.goto(path);
        await settle(page);
        await expectScreenFits(page, `${path} at ${size.width}`);
        await expectCustomerWords(page, `${path} at ${size.width}`);
      }

      // The order queue: a table of customers by name, filtered by status, an order found by its reference.
      await page.context().clearCookies();
      await signIn(page, 'primary@nusantara.example', '/orders');
      const placed = await orderByPurchaseOrder(page, '7034522', SURABAYA, '0123456789012345');
      await page.context().clearCookies();
      await signIn(page, 'admin@entitle.example', '/desk/orders');
      await page.getByLabel('Status').selectOption('received');
      const rows = page.locator('#order-queue tbody tr');
      await expect(rows.first()).toBeVisible();
      await expect(page.locator('#order-range')).toHaveText(/^Orders 1–\d+$/);
      await expect(rows.first().locator('td').nth(1)).toHaveText(/\S+ \(\d+\)$/);
      for (const status of await rows.locator('td:nth-child(5)').allInnerTexts()) expect(status.trim()).toBe('Received');
      await page.getByLabel('Order, customer number or site').fill(placed.toLowerCase());
      await page.getByLabel('Order, customer number or site').press('Enter');
      await expect(rows).toHaveCount(1);
      await expect(rows.first().locator('td').first()).toHaveText(placed);
      await expect(page.locator('#order-range')).toHaveText('Orders 1–1');
      await expect(page.getByRole('article', { name: new RegExp(placed) })).toBeVisible();

      // The audit log names actions in words, and its filter is by kind of work.
      await page.goto('/desk/audit');
      const actions = page.locator('#audit tbody td[data-code]');
      await expect(actions.first()).toBeVisible();
      for (const text of await actions.allInnerTexts()) expect(text).toMatch(/^[A-Z][a-z]+( [a-z-]+)*$/);
      await page.getByLabel('Show').selectOption({ label: 'Orders' });
      await expect
        .poll(() => actions.evaluateAll((cells) => cells.every((c) => c.getAttribute('data-code')!.startsWith('order.'))))
        .toBe(true);
      await expect(actions.first()).toHaveText(/^Order/);
    });
  });
}
