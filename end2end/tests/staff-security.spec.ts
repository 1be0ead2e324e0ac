// Journeys: an administrator signs in with a code from the authenticator app; a sales rep sets up
// two-step verification, signs in with a recovery code and turns it off; a user changes their password.
//
// This file runs after site-users.spec.ts (files run in name order, one worker): it changes
// viewer@nusantara.example's password, which no later journey uses.
import { expect, test } from '@playwright/test';
import { expectNoViolations } from './fixtures/axe';
import { DEMO_PASSWORD, nextAdminCode, signIn, signOut, totpAt } from './fixtures/session';

test('an administrator needs the code from the authenticator app, and a wrong one is explained', async ({ page }) => {
  await page.goto('/sign-in?return_to=%2Fdesk');
  await page.getByLabel('E-mail address').fill('admin@entitle.example');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Two-step verification' })).toBeVisible();
  await expect(page.getByLabel('Authentication code')).toBeFocused();
  await expectNoViolations(page, 'the second step of signing in');

  await page.getByLabel('Authentication code').fill('12345');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.locator('#code-error')).toHaveText('Enter the 6-digit code from your authenticator app, or a recovery code');
  await page.getByLabel('Authentication code').fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.locator('#code-error')).toContainText('That code is not right.');

  await page.getByLabel('Authentication code').fill(await nextAdminCode(page));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/desk$/);

  // The security page says it is required and offers no way to turn it off.
  await page.goto('/account/security');
  await expect(page.locator('#two-step-status')).toHaveText('On: signing in takes a code from your authenticator app.');
  await expect(page.getByText('Administrators must keep it on.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Turn off' })).toHaveCount(0);
});

test('a sales rep sets up two-step verification, signs in with a recovery code and turns it off', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, 'sales@entitle.example', '/desk');
  await page.locator('.account-menu > summary').click();
  await page.getByRole('link', { name: 'Password and security' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Password and security' })).toBeVisible();
  await expect(page.locator('#two-step-status')).toHaveText('Off: signing in takes only your password.');

  await page.getByRole('button', { name: 'Set up two-step verification' }).click();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  await expectNoViolations(page, 'setting up an authenticator');
  const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
  await page.getByLabel('Code from the app').fill(totpAt(secret, Math.floor(Date.now() / 30_000)));
  await page.getByRole('button', { name: 'Turn on' }).click();
  const codes = page.locator('#recovery-codes li');
  await expect(codes).toHaveCount(10);
  const recovery = await codes.nth(0).innerText();
  expect(recovery).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.locator('#two-step-status')).toHaveText('On: signing in takes a code from your authenticator app.');
  await expect(page.locator('#recovery-left')).toHaveText('10 unused recovery codes left.');

  // Signing in again takes the second step; a recovery code does instead of the phone.
  await signOut(page);
  await page.goto('/sign-in?return_to=%2Faccount%2Fsecurity');
  await page.getByLabel('E-mail address').fill('sales@entitle.example');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Authentication code').fill(recovery);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.locator('#recovery-left')).toHaveText('9 unused recovery codes left.');

  // Turning it off asks for the password.
  await page.getByRole('button', { name: 'Turn off' }).click();
  await page.getByLabel('Your password').fill('not-it');
  await page.getByRole('button', { name: 'Turn off two-step verification' }).click();
  await expect(page.locator('#confirm-password-error')).toHaveText('This is not your current password');
  await page.getByLabel('Your password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Turn off two-step verification' }).click();
  await expect(page.locator('#two-step-status')).toHaveText('Off: signing in takes only your password.');
});

test('a signed-in user changes their password with the current one', async ({ page }) => {
  await signIn(page, 'viewer@nusantara.example', '/account/security');
  await expect(page.getByRole('heading', { level: 1, name: 'Password and security' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Two-step verification' })).toHaveCount(0);
  await expectNoViolations(page, 'the security page');

  await page.getByLabel('Current password').fill('not-it');
  await page.getByLabel('New password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#current-password-error')).toHaveText('This is not your current password');

  await page.getByLabel('Current password').fill(DEMO_PASSWORD);
  await page.getByLabel('New password').fill('wonderwoman');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#new-password-error')).toHaveText('This password is too common; choose another');

  await page.getByLabel('New password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#password-changed')).toBeVisible();
  await expect(page.getByLabel('Current password')).toHaveValue('');

  await signOut(page);
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill('viewer@nusantara.example');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.account-menu > summary')).toContainText('Signed in as');
});
