// Journey: a signed-out customer opens the renewals, signs in, and lands back where they were heading.
import { expect, test } from '@playwright/test';
import { signOut } from './fixtures/session';

test('opening renewals signed out asks to sign in and then returns to them', async ({ page }) => {
  await page.goto('/renewals');
  await expect(page).toHaveURL(/\/sign-in\?return_to=%2Frenewals$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  // Partnered GmbH's renewal is handled by its Business Partner, so no other journey orders it.
  await page.getByLabel('E-mail address').fill('buyer@partnered.example');
  await page.getByLabel('Password').fill('entitle-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(/\/renewals$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Renewals' })).toBeVisible();
  await expect(page.getByText('Signed in as Lena Hoffmann')).toBeVisible();
  const rows = page.locator('table.data tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('München (9120450)');
  await expect(rows.first()).toContainText(/^RQ\d+/);
  await expect(rows.first()).toContainText('Issued');
  await expect(rows.first().locator('td').nth(4)).toHaveText(/^€[\d,]+\.\d{2}$/);

  await page.getByRole('link', { name: 'By agreement' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Partnered GmbH' })).toBeVisible();
});

test('a wrong password is refused with a clear message and keeps what was typed', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill('primary@nusantara.example');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The e-mail address or password is not right.');
  await expect(alert).toBeFocused();
  await expect(page.getByLabel('E-mail address')).toHaveValue('primary@nusantara.example');
});

test('empty fields are reported on each field before anything is sent', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('There is a problem');
  await expect(page.getByRole('alert')).toBeFocused();
  await expect(page.locator('#email-error')).toHaveText('This field is required');
  await expect(page.locator('#password-error')).toHaveText('This field is required');
  await expect(page.getByLabel('E-mail address')).toHaveAttribute('aria-invalid', 'true');
});

for (const [what, returnTo] of [
  ['another site', 'https%3A%2F%2Fevil.example%2F'],
  // A tab is dropped by the browser: "/\t/evil.example" would be "//evil.example", another host.
  ['a tab trick', '%2F%09%2Fevil.example'],
  ['a backslash trick', '%2F%5Cevil.example'],
]) {
  test(`a return address off this site is ignored: ${what}`, async ({ page }) => {
    await page.goto(`/sign-in?return_to=${returnTo}`);
    await page.getByLabel('E-mail address').fill('buyer@express.example');
    await page.getByLabel('Password').fill('entitle-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/renewals$/);
    await signOut(page);
    await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  });
}
