// Journey: a customer finds a part in the catalog, puts it in the cart, checks out through billing and
// terms, pays by card and gets a confirmation with an order reference number. A declined card keeps
// the form and says why.
import { expect, test, type Page } from '@playwright/test';
import { expectNoViolations } from './fixtures/axe';
import { signIn } from './fixtures/session';

async function addGuardianToCart(page: Page, quantity: string) {
  await page.goto('/catalog?q=Guardian');
  const firstPart = page.locator('table.parts:not(.skeleton) tbody tr').first().getByRole('link');
  const partNumber = (await firstPart.textContent())!.trim();
  await firstPart.click();
  await expect(page.locator('#part-number')).toHaveText(partNumber);
  await expect(page.locator('#part-price')).toContainText('$');
  await page.getByLabel('Quantity').fill(quantity);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  return partNumber;
}

async function fillBillingAndAcceptTerms(page: Page) {
  await page.getByLabel('Company or name').fill('Express Labs Inc.');
  await page.getByLabel('Street address').fill('500 Market Street');
  await page.getByLabel('City').fill('San Francisco');
  await page.getByLabel('State or province').fill('CA');
  await page.getByLabel('Postal code').fill('94105');
  await page.getByLabel('Name', { exact: true }).fill('Jordan Reyes');
  await page.getByLabel('E-mail address').fill('jordan@express.example');
  await page.getByLabel('I agree to the terms and conditions').check();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('a customer buys a catalog part with a card and gets an order reference number', async ({ page }) => {
  await signIn(page, 'buyer@express.example', '/catalog');
  const part = await addGuardianToCart(page, '2');

  const line = page.locator('table.cart tbody tr').filter({ hasText: part });
  await expect(line).toContainText('express agreement: list price (BL)');
  await expect(line.getByRole('spinbutton')).toHaveValue('2');
  await expect(page.locator('#cart-total')).toHaveText(/^\$[\d,]+\.\d{2}$/);
  const total = await page.locator('#cart-total').textContent();

  await page.getByRole('link', { name: 'Check out' }).click();
  await expect(page.locator('ol.steps [aria-current="step"]')).toContainText('Billing and shipping');

  // Nothing filled in: every problem is listed at the top and under its field; nothing is lost.
  await page.getByRole('button', { name: 'Continue' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).not.toHaveCount(0);
  // Each problem names its field.
  await expect(summary.getByRole('link', { name: /^Postal code: / })).toBeVisible();
  await expect(page.getByLabel('Street address')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#accept_terms-error')).not.toBeEmpty();

  await fillBillingAndAcceptTerms(page);
  await expect(page.locator('ol.steps [aria-current="step"]')).toContainText('Review and submit');
  await expect(page.locator('#review-total')).toHaveText(total!);
  await expect(page.getByLabel('Credit card')).toBeChecked();
  await expectNoViolations(page, 'the review step');

  // Live brand detection and grouping; the security code hint follows the brand.
  const number = page.getByLabel('Card number');
  await number.fill('4111111111111111');
  await expect(number).toHaveValue('4111 1111 1111 1111');
  await expect(page.locator('#payment-number-brand')).toHaveText('Visa');
  await expect(page.locator('#payment-security_code-hint')).toHaveText('3 digits on the back of the card');
  await number.fill('378282246310005');
  await expect(page.locator('#payment-number-brand')).toHaveText('American Express');
  await expect(page.locator('#payment-security_code-hint')).toContainText('4 digits on the front');
  await number.fill('4111 1111 1111 1111');

  await page.getByLabel('Expiry month').selectOption('12');
  await page.getByLabel('Expiry year').selectOption({ index: 4 });
  await page.getByLabel('Security code').fill('123');
  await page.getByLabel('Name on card').fill('Jordan Reyes');
  await page.getByRole('button', { name: 'Submit' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Thank you for your order' })).toBeVisible();
  await expect(page.locator('ol.steps [aria-current="step"]')).toContainText('Order confirmation');
  const reference = (await page.locator('#order-reference-number').textContent())!;
  expect(reference).toMatch(/^EN-\d{5}-\d{5}$/);
  await expect(page.locator('#order-payment')).toContainText('Visa •••• 1111');
  await expect(page.locator('#order-total')).toHaveText(total!);
  await expect(page.getByRole('table')).toContainText(part);
  await expect(page.getByRole('button', { name: 'Print' })).toBeVisible();
  await expectNoViolations(page, 'the order confirmation');
  const pdf = await page.request.get(await page.getByRole('link', { name: 'Download PDF receipt' }).getAttribute('href') as string);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');

  // The order is in the list of the last 30 days, and the cart is empty.
  await page.getByRole('link', { name: 'Orders', exact: true }).click();
  await expect(page.locator('#recent-orders')).toContainText(reference);
  await page.getByRole('link', { name: 'Cart', exact: true }).click();
  await expect(page.getByText('Your cart is empty.')).toBeVisible();
});

test('a declined card shows a clear error and keeps everything typed', async ({ page }) => {
  await signIn(page, 'buyer@express.example', '/catalog');
  await addGuardianToCart(page, '1');
  await page.getByRole('link', { name: 'Check out' }).click();
  await fillBillingAndAcceptTerms(page);

  await page.getByLabel('Card number').fill('4000000000000002');
  await page.getByLabel('Expiry month').selectOption('06');
  await page.getByLabel('Expiry year').selectOption({ index: 3 });
  await page.getByLabel('Security code').fill('321');
  await page.getByLabel('Name on card').fill('Jordan Reyes');
  await page.getByRole('button', { name: 'Submit' }).click();

  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toContainText(/declined/i);
  await expect(page.getByLabel('Card number')).toHaveValue('4000 0000 0000 0002');
  await expect(page.getByLabel('Name on card')).toHaveValue('Jordan Reyes');
  await expect(page.getByLabel('Expiry month')).toHaveValue('06');
  await expect(page.getByRole('button', { name: 'Submit' })).toBeEnabled();

  // Another card goes through.
  await page.getByLabel('Card number').fill('5555 5555 5555 4444');
  await page.getByLabel('Security code').fill('321');
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Thank you for your order' })).toBeVisible();
  await expect(page.locator('#order-payment')).toContainText('Mastercard •••• 4444');
});
