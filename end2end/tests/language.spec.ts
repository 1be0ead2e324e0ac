// Journey: the language a customer picks is theirs, not the device's — another device opens in it
// after sign-in, and their mail comes in it.
import { expect, test } from '@playwright/test';
import { waitForMail } from './fixtures/mailbox';
import { backToEnglish, signIn } from './fixtures/session';

const WHO = 'buyer@cascade.example';

test.afterEach(async ({ page }) => backToEnglish(page));

test('a language chosen while signed in follows the customer to another device and into their mail', async ({ page, browser }) => {
  await signIn(page, WHO, '/catalog');
  await page.locator('.lang select').selectOption('id');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Katalog produk');
  await expect.poll(async () => (await (await page.request.get('/api/v1/session')).json()).locale).toBe('id');

  // A device that never saw the choice, with an English browser: Indonesian once signed in.
  const other = await browser.newContext({ locale: 'en-US' });
  const phone = await other.newPage();
  await signIn(phone, WHO, '/catalog');
  await expect(phone.locator('html')).toHaveAttribute('lang', 'id');
  await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Katalog produk');

  // Mail follows the account, even when asked for from an English page.
  const stranger = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await stranger.goto('/reset-password');
  await stranger.getByLabel('E-mail address').fill(WHO);
  await stranger.getByRole('button', { name: 'Send me a link' }).click();
  await expect(stranger.locator('#reset-sent')).toBeVisible();
  const mail = await waitForMail(WHO, /^Atur ulang kata sandi Entitle Anda$/);
  expect(mail.body).toContain('Halo');
  await other.close();
});

test('a language picked on the sign-in page is kept after signing in and becomes the account’s', async ({ page, browser }) => {
  await page.goto('/sign-in?return_to=%2Fcatalog');
  await page.locator('.lang select').selectOption('id');
  await page.getByLabel('Alamat email').fill(WHO);
  await page.getByLabel('Kata sandi').fill('entitle-demo');
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Katalog produk');
  await expect.poll(async () => (await (await page.request.get('/api/v1/session')).json()).locale).toBe('id');

  // And an English choice made on another device while signed out wins over it there at sign-in.
  const other = await browser.newContext({ locale: 'id-ID' });
  const laptop = await other.newPage();
  await laptop.goto('/sign-in?return_to=%2Fcatalog');
  await expect(laptop.locator('html')).toHaveAttribute('lang', 'id');
  await laptop.locator('.lang select').selectOption('en');
  await laptop.getByLabel('E-mail address').fill(WHO);
  await laptop.getByLabel('Password').fill('entitle-demo');
  await laptop.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(laptop.getByRole('heading', { level: 1 })).toHaveText('Product catalog');
  await expect.poll(async () => (await (await laptop.request.get('/api/v1/session')).json()).locale).toBe('en');
  await other.close();
});
