// The auto-renew setting on the renewal quote page: offered where the country allows it (Portland, US),
// off until the customer turns it on with their acceptance of the terms, which is then shown; not offered
// in Indonesia. Portland's quote is used by no other journey, so this spec does not depend on the order
// the files run in.
import { expect, test } from '@playwright/test';
import { signIn } from './fixtures/session';

test('a customer turns auto-renew on only by accepting the terms, sees the consent, and turns it off', async ({ page }) => {
  await signIn(page, 'buyer@cascade.example', '/renewals');
  const row = page.locator('table.data tbody tr').filter({ hasText: 'Portland (8812014)' });
  await row.getByRole('link').click();
  await expect(page.locator('#auto-renew-state')).toContainText('Off.');

  await page.getByRole('button', { name: 'Turn on automatic renewal' }).click();
  await expect(page.locator('#auto-renew-terms-error')).toContainText('terms');
  await expect(page.locator('#auto-renew-state')).toContainText('Off.');

  await page.locator('details.terms summary').click();
  await expect(page.locator('details.terms .terms-body')).not.toBeEmpty();
  await page.getByLabel(/^I agree to the terms and conditions of sale for the order placed automatically on /).check();
  await page.getByRole('button', { name: 'Turn on automatic renewal' }).click();
  await expect(page.locator('#auto-renew-status')).toHaveText('Automatic renewal is on.');
  await expect(page.locator('#auto-renew-consent')).toContainText('buyer@cascade.example');
  await expect(page.locator('#auto-renew-consent')).toContainText('terms and conditions of sale version');

  await page.reload();
  await expect(page.locator('#auto-renew-state')).toContainText('On: this quote is ordered at this price');
  await expect(page.locator('#auto-renew-consent')).toContainText('Turned on by');
  await page.getByRole('button', { name: 'Turn off automatic renewal' }).click();
  await expect(page.locator('#auto-renew-status')).toHaveText('Automatic renewal is off.');
  await page.reload();
  await expect(page.locator('#auto-renew-state')).toContainText('Off.');
  await expect(page.locator('#auto-renew-consent')).toHaveCount(0);

  await page.context().clearCookies();
  await signIn(page, 'primary@nusantara.example', '/renewals');
  await page.locator('table.data tbody tr').filter({ hasText: 'Jakarta HQ (7034521)' }).getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Renewal quote');
  await expect(page.locator('section.auto-renew')).toHaveCount(0);
});
