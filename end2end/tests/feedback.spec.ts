// Every action answers where the user is looking: saving a cart answers under "Save cart", choosing how
// to renew answers under the choice (and stays there), and the desk says what moving an order did.
import { expect, test } from '@playwright/test';
import { signIn } from './fixtures/session';

test('saving a cart answers under the button that was pressed', async ({ page }) => {
  await signIn(page, 'buyer@express.example', '/catalog');
  await page.goto('/catalog?q=Guardian');
  await page.locator('table.parts:not(.skeleton) tbody tr').first().getByRole('link').click();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page).toHaveURL(/\/cart$/);

  const form = page.locator('form#save-cart');
  await form.getByRole('button', { name: 'Save cart' }).click();
  await expect(form.locator('#save-cart-status')).toHaveText('Give the cart a name');
  await form.getByLabel('Name').fill('Guardian for Austin');
  await form.getByRole('button', { name: 'Save cart' }).click();
  const answer = form.locator('#save-cart-status .alert.success');
  await expect(answer).toContainText('Saved as “Guardian for Austin”');
  await expect(answer).toBeInViewport();
  await answer.getByRole('link', { name: 'See saved carts' }).click();
  await expect(page.getByText('Guardian for Austin').first()).toBeVisible();

  // Deleting it says so where the list was.
  await page.getByRole('button', { name: 'Delete Guardian for Austin' }).first().click();
  await expect(page.locator('#saved-cart-outcome')).toHaveText('Deleted “Guardian for Austin”.');
});

test('choosing to renew through the representative answers under the choice and stays', async ({ page }) => {
  await signIn(page, 'primary@nusantara.example', '/renewals');
  const groups: { quotes: { quote_number: string }[] }[] = await (await page.request.get('/api/v1/renewals?group=awaiting')).json();
  const quote = groups.flatMap((g) => g.quotes)[0]?.quote_number;
  expect(quote, 'an open renewal quote').toBeTruthy();
  await page.goto(`/renewals/${quote}`);
  await page.getByLabel('Through the renewal representative').check();
  await page.getByLabel('Note (optional)').fill('Please call me about the quantities.');
  await page.getByRole('button', { name: 'Send my choice' }).click();
  const outcome = page.locator('form.renew-choice #renew-outcome');
  await expect(outcome).toHaveText('Thank you. We let them know; they will contact you.');
  await page.waitForLoadState('networkidle');
  await expect(outcome).toHaveText('Thank you. We let them know; they will contact you.');
  await expect(outcome).toBeInViewport();
});
