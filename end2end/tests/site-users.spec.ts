// Journey: a user asks for access to a site → its primary contact approves with privileges, then
// changes them → the user sees the site; admins read both decisions in the audit log.
import { expect, test } from '@playwright/test';
import { expectNoViolations } from './fixtures/axe';
import { signIn } from './fixtures/session';

test('the primary contact approves an access request with privileges and admins see it audited', async ({ page, browser, baseURL }) => {
  test.setTimeout(90_000);
  await signIn(page, 'viewer@nusantara.example', '/access-requests');
  await page.getByLabel('Customer number').fill('7034523');
  await page.getByLabel('Message (optional)').fill('I look after Bandung now.');
  await page.getByRole('button', { name: 'Request access' }).click();
  // Nothing about the site shows before approval (the same for any number).
  await expect(page.locator('#access-requests')).toContainText('7034523 — waiting for the primary contact');
  await expect(page.locator('#access-requests')).not.toContainText('Bandung');

  const other = await browser.newContext({ baseURL });
  const primary = await other.newPage();
  await signIn(primary, 'primary@nusantara.example', '/access-requests');
  await primary.locator('#site-switcher').selectOption('7034523');
  await primary.getByRole('link', { name: /^Manage the users of Bandung/ }).click();
  await expect(primary.getByRole('heading', { level: 1 })).toHaveText('Users · Bandung (7034523)');
  const request = primary.getByRole('article', { name: 'Access request from viewer@nusantara.example' });
  await expect(request).toContainText('I look after Bandung now.');
  await expect(request.getByLabel('Quotes and renewals: viewer@nusantara.example')).toBeChecked();
  await expect(request.getByLabel('Buy and renew: viewer@nusantara.example')).not.toBeChecked();
  await expectNoViolations(primary, 'the site users page');
  await request.getByRole('button', { name: 'Approve viewer@nusantara.example' }).click();
  await expect(primary.locator('#access-decided')).toHaveText('Approved viewer@nusantara.example. They were told by e-mail and can use the site now.');
  await expect(primary.locator('#no-access-requests')).toBeVisible();
  const row = primary.locator('#site-users tr').filter({ hasText: 'viewer@nusantara.example' });
  await expect(row.getByLabel(/^Orders: /)).toBeChecked();
  await row.getByLabel(/^Orders: /).uncheck();
  await row.getByRole('button', { name: /^Save privileges of/ }).click();
  await expect(row.getByRole('status')).toHaveText('Saved');
  await other.close();

  await page.reload();
  await expect(page.locator('#access-requests')).toContainText('Bandung (7034523) — approved');
  await expect(page.locator('#site-switcher option[value="7034523"]')).toHaveCount(1);

  const admin = await browser.newContext({ baseURL });
  const audit = await admin.newPage();
  await signIn(audit, 'admin@entitle.example', '/desk');
  await audit.getByRole('link', { name: 'Audit log' }).click();
  await audit.getByLabel('Show').selectOption({ label: 'Access requests' });
  await expect(audit.locator('#audit tbody tr').first()).toContainText('Access approved');
  await expect(audit.locator('#audit tbody tr').first()).toContainText('primary@nusantara.example');
  await audit.getByLabel('Show').selectOption({ label: 'Privileges' });
  await expect(audit.locator('#audit tbody tr').first()).toContainText('orders yes → ');
  await expectNoViolations(audit, 'the audit log');
  await admin.close();
});
