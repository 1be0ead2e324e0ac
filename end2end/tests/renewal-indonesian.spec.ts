// Journey: the online renewal in Bahasa Indonesia — every screen in Indonesian, money as
// `Rp 1.234.567,00`, dates with Indonesian month names, paid by bank transfer.
import { expect, test } from '@playwright/test';
import { expectNoViolations } from './fixtures/axe';
import { backToEnglish } from './fixtures/session';

// Switching language while signed in stores it on the account: give it English back.
test.afterEach(async ({ page }) => backToEnglish(page));

test('a customer renews in Bahasa Indonesia from the renewals list to the confirmation', async ({ page }) => {
  await page.goto('/sign-in?return_to=%2Frenewals');
  await page.locator('.lang select').selectOption('id');
  await expect(page.locator('html')).toHaveAttribute('lang', 'id');
  await page.getByLabel('Alamat email').fill('primary@nusantara.example');
  await page.getByLabel('Kata sandi').fill('entitle-demo');
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Perpanjangan' })).toBeVisible();
  const row = page.locator('table.data tbody tr').filter({ hasText: 'Surabaya (7034522)' });
  await expect(row.locator('td').nth(4)).toHaveText(/^Rp \d{1,3}(\.\d{3})*,\d{2}$/);
  await row.getByRole('link').click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Penawaran perpanjangan RQ\d+$/);
  await expect(page.getByRole('tab', { name: 'Informasi akun' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Informasi akun' })).toContainText(/\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) \d{4}/);
  await expect(page.locator('table.data tbody')).toContainText('tingkat harga');
  // The tax rate shown is the one charged (12 % on 11/12 of the price), not 0 %.
  await expect(page.locator('table.data tbody')).toContainText('PPN 12% atas 11/12 harga');
  await expect(page.locator('#quote-total')).toHaveText(/^Rp \d{1,3}(\.\d{3})*,\d{2}$/);
  const total = await page.locator('#quote-total').textContent();
  await expectNoViolations(page, 'the quote page in Indonesian');

  await page.getByRole('button', { name: 'Tambahkan ke keranjang' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Keranjang' })).toBeVisible();
  await expect(page.locator('#cart-total')).toHaveText(total!);
  await page.getByRole('link', { name: 'Lanjut ke pembayaran' }).click();

  await expect(page.locator('ol.steps [aria-current="step"]')).toContainText('Penagihan dan pengiriman');
  await page.getByRole('button', { name: 'Lanjutkan' }).click();
  await expect(page.locator('.error-summary')).toContainText('Ada masalah');
  await expect(page.locator('#billing-address-line1-error')).toHaveText('Kolom ini wajib diisi');
  await page.getByLabel('Perusahaan atau nama').fill('PT Nusantara Data');
  await page.getByLabel('Alamat jalan').fill('Jl. Basuki Rahmat 8');
  await page.getByLabel('Kota').fill('Surabaya');
  await page.getByLabel('Provinsi').fill('Jawa Timur');
  await page.getByLabel('Kode pos').fill('60271');
  await page.getByLabel('Nama', { exact: true }).fill('Dewi Lestari');
  await page.getByLabel('Alamat email').fill('primary@nusantara.example');
  await page.getByLabel('NPWP').fill('0123456789012345');
  await page.getByLabel('Saya menyetujui syarat dan ketentuan').check();
  await page.getByRole('button', { name: 'Lanjutkan' }).click();

  await expect(page.locator('ol.steps [aria-current="step"]')).toContainText('Tinjau dan kirim');
  await expect(page.getByLabel('Kartu kredit')).toBeChecked();
  await page.getByLabel('Transfer bank').check();
  await page.getByRole('button', { name: 'Kirim' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Terima kasih atas pesanan Anda' })).toBeVisible();
  await expect(page.locator('#order-reference-number')).toHaveText(/^EN-\d{5}-\d{5}$/);
  await expect(page.locator('#order-payment')).toHaveText('Transfer bank');
  await expect(page.locator('#order-total')).toHaveText(total!);
  await expect(page.getByRole('button', { name: 'Cetak' })).toBeVisible();
});
