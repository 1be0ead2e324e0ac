// The auto-renew setting on the renewal quote page: offered where the country allows it (Portland, US),
// remembered, and not offered in Indonesia. Portland's quote is used by no other journey, so this spec
// does not depend on the order the files run in.
import { expect, test } from '@playwright/test';
import { signIn } from './fixtures/session';

test('a customer turns auto-renew off where it is offered; Indonesia does not offer it', async ({ page }) => {
  await signIn(page, 'buyer@cascade.example', '/renewals');
  const row = page.locator('table.data tbody tr').filter({ hasText: 'Portland (8812014)' });
  await row.getByRole('link').click();
  const box = page.getByLabel(/^Renew automatically at this price on /);
  await expect(box).toBeChecked();
  await box.uncheck();
  await expect(page.locator('#auto-renew-status')).toHaveText('Automatic renewal is off.');
  await page.reload();
  await expect(page.getByLabel(/^Renew automatically at this price on /)).not.toBeChecked();
  await page.getByLabel(/^Renew automatically at this price on /).check();
  await expect(page.locator('#auto-renew-status')).toHaveText('Automatic renewal is on.');

  await page.context().clearCookies();
  await signIn(page, 'primary@nusantara.example', '/renewals');
  await page.locator('table.data tbody tr').filter({ hasText: 'Jakarta HQ (7034521)' }).getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Renewal quote');
  await expect(page.locator('#auto-renew')).toHaveCount(0);
});
