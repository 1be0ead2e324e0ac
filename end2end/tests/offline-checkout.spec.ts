// Journey: the connection drops during checkout. What was typed survives a reload (never the card
// number or security code); a submit made offline waits and is sent once when the connection returns;
// a reply lost on the way back is retried with the same idempotency key — exactly one order either way.
import { expect, test, type Page } from '@playwright/test';
import { signIn, signOut } from './fixtures/session';

async function recentOrders(page: Page): Promise<string[]> {
  const res = await page.request.get('/api/v1/orders');
  expect(res.ok()).toBeTruthy();
  return (await res.json()).map((o: { reference: string }) => o.reference);
}

async function startCheckout(page: Page) {
  await page.goto('/catalog?q=Guardian');
  await page.locator('table.parts:not(.skeleton) tbody tr').first().getByRole('link').click();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await page.getByRole('link', { name: 'Check out' }).click();
}

async function fillBilling(page: Page) {
  await page.getByLabel('Company or name').fill('Express Labs Inc.');
  await page.getByLabel('Street address').fill('500 Market Street');
  await page.getByLabel('City').fill('San Francisco');
  await page.getByLabel('State or province').fill('CA');
  await page.getByLabel('Postal code').fill('94105');
  await page.getByLabel('Name', { exact: true }).fill('Jordan Reyes');
  await page.getByLabel('E-mail address').fill('jordan@express.example');
}

async function fillCard(page: Page) {
  await page.getByLabel('Card number').fill('4111 1111 1111 1111');
  await page.getByLabel('Expiry month').selectOption('11');
  await page.getByLabel('Expiry year').selectOption({ index: 3 });
  await page.getByLabel('Security code').fill('737');
  await page.getByLabel('Name on card').fill('Jordan Reyes');
}

test('typed details survive a reload, the card number does not', async ({ page }) => {
  await signIn(page, 'buyer@express.example', '/catalog');
  await startCheckout(page);
  await fillBilling(page);
  await page.reload();
  await expect(page.getByLabel('Street address')).toHaveValue('500 Market Street');
  await expect(page.getByLabel('Postal code')).toHaveValue('94105');
  await page.getByLabel('I agree to the terms and conditions').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await fillCard(page);
  // The review step has its own address: a reload stays on it.
  await expect(page).toHaveURL(/\/checkout\?step=review$/);
  await page.reload();
  await expect(page.locator('ol.steps [aria-current="step"]')).toContainText('Review and submit');
  await expect(page.getByLabel('Name on card')).toHaveValue('Jordan Reyes');
  await expect(page.getByLabel('Card number')).toHaveValue('');
  await expect(page.getByLabel('Security code')).toHaveValue('');
  const stored = await page.evaluate(() => JSON.stringify([Object.assign({}, localStorage), Object.assign({}, sessionStorage)]));
  expect(stored).not.toContain('4111');
  expect(stored).not.toContain('737');
  // The details are kept for this tab only: nothing typed outlives it in localStorage.
  expect(stored).toContain('500 Market Street');
  const lasting = await page.evaluate(() => JSON.stringify(Object.assign({}, localStorage)));
  expect(lasting).not.toContain('500 Market Street');
  expect(lasting).not.toContain('jordan@express.example');
});

test('a sign-out that cannot reach the server says so and can be tried again', async ({ page, context }) => {
  await signIn(page, 'buyer@express.example', '/catalog');
  await context.setOffline(true);
  await page.locator('.account-menu > summary').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  const failed = page.locator('.sign-out-failed');
  await expect(failed).toContainText('You are still signed in.');
  await expect(page.locator('.account-menu > summary')).toContainText('Signed in as');
  await context.setOffline(false);
  await failed.getByRole('button', { name: 'Sign out again' }).click();
  await expect(failed).toBeHidden();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect((await page.request.get('/api/v1/session')).status()).toBe(401);
});

test('an order submitted offline is sent once when the connection returns', async ({ page, context }) => {
  await signIn(page, 'buyer@express.example', '/catalog');
  const before = await recentOrders(page);
  await startCheckout(page);
  await fillBilling(page);
  await page.getByLabel('I agree to the terms and conditions').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await fillCard(page);

  await context.setOffline(true);
  await expect(page.locator('#offline-banner')).toBeVisible();
  await page.getByRole('button', { name: /Submit/ }).click();
  await expect(page.locator('#submit-state')).toContainText('You are offline. Your order is kept');
  await expect(page.locator('#submit-order')).toBeDisabled();

  await context.setOffline(false);
  await expect(page.getByRole('heading', { level: 1, name: 'Thank you for your order' })).toBeVisible();
  const reference = (await page.locator('#order-reference-number').textContent())!;
  const after = await recentOrders(page);
  expect(after.filter((r) => !before.includes(r))).toEqual([reference]);
});

test('a reply lost on the way back is retried with the same key and yields one order', async ({ page }) => {
  await signIn(page, 'buyer@express.example', '/catalog');
  const before = await recentOrders(page);
  await startCheckout(page);
  await fillBilling(page);
  await page.getByLabel('I agree to the terms and conditions').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await fillCard(page);

  // The first POST reaches the server (the order is placed) but its reply never arrives.
  const keys: string[] = [];
  let dropped = false;
  await page.route('**/api/v1/orders', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    keys.push(route.request().headers()['idempotency-key']);
    if (!dropped) {
      dropped = true;
      await route.fetch();
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  await page.getByRole('button', { name: /Submit/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Thank you for your order' })).toBeVisible();
  expect(keys.length).toBeGreaterThanOrEqual(2);
  expect(new Set(keys).size).toBe(1);
  const reference = (await page.locator('#order-reference-number').textContent())!;
  const after = await recentOrders(page);
  expect(after.filter((r) => !before.includes(r))).toEqual([reference]);
});

test('a reload while offline still opens the app from the service worker', async ({ page, context }) => {
  await page.goto('/catalog');
  await expect(page.getByRole('heading', { level: 1, name: 'Product catalog' })).toBeVisible();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The worker controls the page after a reload.
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Product catalog' })).toBeVisible();
  await expect(page.locator('#offline-banner')).toBeVisible();
  await context.setOffline(false);
});

test('a reload while offline keeps the user signed in and opens the checkout with its draft', async ({ page, context }) => {
  await signIn(page, 'buyer@express.example', '/catalog');
  await startCheckout(page);
  await fillBilling(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(page.getByLabel('Street address')).toHaveValue('500 Market Street');

  // This device remembers who is signed in, never the session's tokens.
  const remembered = await page.evaluate(() => JSON.parse(localStorage.getItem('entitle.user') ?? 'null'));
  expect(remembered.email).toBe('buyer@express.example');
  expect(remembered.csrf_token).toBe('');

  await context.setOffline(true);
  await page.reload();
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.locator('#offline-banner')).toBeVisible();
  await expect(page.locator('.offline-region')).toHaveAttribute('role', 'status');
  await expect(page.getByLabel('Street address')).toHaveValue('500 Market Street');
  await expect(page.getByLabel('Postal code')).toHaveValue('94105');

  // Back online, the form carries on to the review step with what was typed.
  await context.setOffline(false);
  await expect(page.locator('#offline-banner')).toBeHidden();
  await page.getByLabel('I agree to the terms and conditions').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('ol.steps li[aria-current=step]')).toHaveText('Review and submit');

  // Signing out forgets the user on this device.
  await signOut(page);
  await expect.poll(() => page.evaluate(() => localStorage.getItem('entitle.user'))).toBeNull();
});

test('the browser back button goes from the review step to the details, which are kept', async ({ page }) => {
  await signIn(page, 'buyer@express.example', '/catalog');
  await startCheckout(page);
  await fillBilling(page);
  await page.getByLabel('I agree to the terms and conditions').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('ol.steps [aria-current="step"]')).toContainText('Review and submit');
  await page.goBack();
  await expect(page.locator('ol.steps [aria-current="step"]')).toContainText('Billing and shipping');
  await expect(page.getByLabel('Street address')).toHaveValue('500 Market Street');
  await page.goForward();
  await expect(page.locator('ol.steps [aria-current="step"]')).toContainText('Review and submit');
});

test('the review step cannot be opened before the details are complete', async ({ page }) => {
  await signIn(page, 'buyer@express.example', '/catalog');
  await startCheckout(page);
  await page.evaluate(() => { for (const k of Object.keys(sessionStorage)) if (k.startsWith('entitle.draft.checkout.')) sessionStorage.removeItem(k); });
  await page.goto('/checkout?step=review');
  await expect(page.locator('ol.steps [aria-current="step"]')).toContainText('Billing and shipping');
  await expect(page.getByRole('button', { name: 'Continue' })).toBeVisible();
});
