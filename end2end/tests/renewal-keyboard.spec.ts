// Journey: the whole online renewal with the keyboard alone — Tab to move, Enter and Space to act,
// arrow keys in the tabs — from sign-in to the confirmation. No mouse clicks.
import { expect, test, type Locator, type Page } from '@playwright/test';

/** Presses Tab until `target` has the focus; fails if it never gets it (not reachable by keyboard). */
async function tabTo(page: Page, target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`${target} cannot be reached with Tab`);
}

async function typeInto(page: Page, target: Locator, text: string) {
  await tabTo(page, target);
  await page.keyboard.type(text);
}

test('the renewal journey works by keyboard alone', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/sign-in?return_to=%2Frenewals');
  await typeInto(page, page.getByLabel('E-mail address'), 'primary@nusantara.example');
  await typeInto(page, page.getByLabel('Password'), 'entitle-demo');
  await page.keyboard.press('Enter');

  const link = page.locator('table.data tbody tr').filter({ hasText: 'Bandung (7034523)' }).getByRole('link');
  await expect(link).toBeVisible();
  await tabTo(page, link);
  await page.keyboard.press('Enter');

  const account = page.getByRole('tab', { name: 'Account information' });
  const rep = page.getByRole('tab', { name: 'Sales representative' });
  await tabTo(page, account);
  await page.keyboard.press('ArrowRight');
  await expect(rep).toBeFocused();
  await expect(rep).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Sales representative' })).toBeVisible();
  await page.keyboard.press('Home');
  await expect(account).toBeFocused();

  await tabTo(page, page.getByRole('button', { name: 'Add to cart' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/cart$/);

  await tabTo(page, page.getByRole('link', { name: 'Check out' }));
  await page.keyboard.press('Enter');
  await expect(page.locator('ol.steps [aria-current="step"]')).toContainText('Billing and shipping');

  await typeInto(page, page.getByLabel('Company or name'), 'PT Nusantara Data');
  await typeInto(page, page.getByLabel('Street address'), 'Jl. Asia Afrika 1');
  await typeInto(page, page.getByLabel('City'), 'Bandung');
  await typeInto(page, page.getByLabel('State or province'), 'Jawa Barat');
  await typeInto(page, page.getByLabel('Postal code'), '40111');
  await typeInto(page, page.getByLabel('Name', { exact: true }), 'Dewi Lestari');
  await typeInto(page, page.getByLabel('E-mail address'), 'primary@nusantara.example');
  await typeInto(page, page.getByLabel('NPWP (tax ID)'), '01.234.567.8-901.000');
  await tabTo(page, page.getByLabel('I agree to the terms and conditions'));
  await page.keyboard.press('Space');
  await expect(page.getByLabel('I agree to the terms and conditions')).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Continue' }));
  await page.keyboard.press('Enter');

  await expect(page.locator('ol.steps [aria-current="step"]')).toContainText('Review and submit');
  await typeInto(page, page.getByLabel('Card number'), '4111111111111111');
  await tabTo(page, page.getByLabel('Expiry month'));
  await page.keyboard.type('12');
  await expect(page.getByLabel('Expiry month')).toHaveValue('12');
  await tabTo(page, page.getByLabel('Expiry year'));
  // The years start at the server's current year (its clock, not the browser's): take the third.
  const year = (await page.getByLabel('Expiry year').locator('option').nth(3).getAttribute('value'))!;
  await page.keyboard.type(year);
  await expect(page.getByLabel('Expiry year')).toHaveValue(year);
  await typeInto(page, page.getByLabel('Security code'), '123');
  await typeInto(page, page.getByLabel('Name on card'), 'Dewi Lestari');
  await tabTo(page, page.getByRole('button', { name: 'Submit' }));
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1, name: 'Thank you for your order' })).toBeVisible();
  await expect(page.locator('#order-reference-number')).toHaveText(/^EN-\d{5}-\d{5}$/);
  await expect(page.locator('#order-payment')).toContainText('Visa •••• 1111');
});
