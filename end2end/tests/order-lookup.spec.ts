// Journey: finding an order by its reference number — found, mistyped (caught before asking the
// server, by the check digit), and well-formed but unknown.
import { expect, test } from '@playwright/test';
import { orderByPurchaseOrder, referenceFor } from './fixtures/api';
import { signIn } from './fixtures/session';

test('an order is found by its reference; a typo is caught at once; an unknown one is reported', async ({ page }) => {
  await signIn(page, 'buyer@express.example', '/orders');
  const reference = await orderByPurchaseOrder(page, '8812001', {
    name: 'Express Labs Inc.', line1: '500 Market Street', line2: '', city: 'San Francisco', region: 'CA',
    postal_code: '94105', country: 'US',
  });

  await page.goto('/orders');
  const box = page.getByLabel('Find an order by its reference number');

  // Found: typed in lower case and without dashes.
  await box.fill(reference.toLowerCase().replace(/-/g, ' '));
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${reference}$`));
  await expect(page.locator('#order-reference-number')).toHaveText(reference);
  await expect(page.locator('#order-payment')).toContainText('Purchase order PO-');
  await expect(page.locator('#order-status')).toHaveText('Received');

  // Mistyped: two digits swapped. No request leaves the browser.
  await page.goto('/orders');
  const digits = reference.replace(/\D/g, '');
  const i = [...digits].findIndex((d, k) => k < digits.length - 1 && d !== digits[k + 1]);
  const swapped = digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2);
  const asked: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/orders/')) asked.push(r.url()); });
  await box.fill(`EN-${swapped.slice(0, 5)}-${swapped.slice(5)}`);
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.locator('#order-reference-error')).toHaveText('this order reference has a typing error; check the digits');
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  expect(asked).toEqual([]);

  // Unknown: well-formed, but no such order.
  await box.fill(referenceFor('999999999'));
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.locator('#order-error')).toContainText('There is no order with this reference number');
});
