// Every page, signed out and signed in, checked by axe-core for WCAG 2.2 AA: zero violations.
// The checkout's review step and the order confirmation are checked inside the journeys that reach them.
import { expect, test } from '@playwright/test';
import { expectNoViolations } from './fixtures/axe';
import { backToEnglish, signIn } from './fixtures/session';

// Switching language while signed in stores it on the account: give it English back.
test.afterEach(async ({ page }) => backToEnglish(page));

test('signed-out pages have no WCAG 2.2 AA violations', async ({ page }) => {
  for (const [path, heading] of [
    ['/', 'Licences and Subscription & Support'],
    ['/reset-password', 'Reset your password'],
    ['/catalog', 'Product catalog'],
    ['/catalog?q=zzzznothing', 'Product catalog'],
    ['/sign-in', 'Sign in'],
    ['/no-such-page', 'Page not found'],
  ]) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expectNoViolations(page, path);
  }
});

test('signed-in pages have no WCAG 2.2 AA violations, in English and Bahasa Indonesia', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, 'primary@nusantara.example', '/renewals');
  const quoteLink = page.locator('table.data tbody a').first();
  const quote = await quoteLink.getAttribute('href');
  await page.goto('/catalog?q=Guardian');
  const part = await page.locator('table.parts:not(.skeleton) tbody a').first().getAttribute('href');
  for (const lang of ['en', 'id']) {
    await page.locator('.lang select').selectOption(lang);
    for (const path of ['/', '/renewals', '/renewals?group=month', quote!, '/coverage', '/cart', '/orders', '/quotes', '/saved-carts', '/access-requests', '/site-users', '/catalog?q=Guardian', part!, '/checkout']) {
      await page.goto(path);
      await expect(page.locator('.skeleton')).toHaveCount(0);
      await page.waitForLoadState('networkidle');
      await expectNoViolations(page, `${path} (${lang})`);
    }
  }
  // The error summary and per-field messages of the checkout (with a part in the cart, removed after).
  await page.goto(part!);
  await page.locator('#add-to-cart').click();
  await expect(page).toHaveURL(/\/cart$/);
  await page.goto('/checkout');
  await page.locator('#continue').click();
  await expect(page.locator('.error-summary')).toBeVisible();
  await expectNoViolations(page, '/checkout with errors');
  await page.goto('/cart');
  await page.locator('table.cart tbody tr button.link').first().click();
  await expect(page.locator('.empty')).toBeVisible();
});

test('the desk has no WCAG 2.2 AA violations', async ({ page }) => {
  for (const [who, paths] of [
    ['renewals@entitle.example', ['/desk', '/desk/change-requests', '/desk/orders']],
    ['sales@entitle.example', ['/desk', '/desk/quote-requests']],
    ['admin@entitle.example', ['/desk', '/desk/audit']],
  ] as const) {
    await page.context().clearCookies();
    await signIn(page, who, '/desk');
    for (const path of paths) {
      await page.goto(path);
      await expect(page.locator('.skeleton')).toHaveCount(0);
      await page.waitForLoadState('networkidle');
      await expectNoViolations(page, `${path} (${who})`);
    }
  }
});
