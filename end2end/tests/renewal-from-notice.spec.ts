// Journey: the seed's online renewal, steps 1–7, starting from the notice e-mail the test SMTP server
// received: link → sign in → straight to the quote (tabs) → add to cart → check out (terms) → pay by
// card → printable confirmation.
import { expect, test } from '@playwright/test';
import { linkIn, waitForMail } from './fixtures/mailbox';

test('a renewal notice e-mail leads through sign-in to the quote, the cart, checkout and a confirmation', async ({ page, baseURL }) => {
  // 1. The notice arrives with a link to the portal.
  const mail = await waitForMail('primary@nusantara.example', /^Renewal quote RQ\d+: .*Jakarta HQ/);
  const link = linkIn(mail, `${baseURL}/renewals/`);
  const quoteNumber = link.split('/').pop()!;

  // 2. Signed out, the link asks to sign in, then opens that quote.
  await page.goto(link);
  await expect(page).toHaveURL(/\/sign-in\?return_to=/);
  await page.getByLabel('E-mail address').fill('primary@nusantara.example');
  await page.getByLabel('Password').fill('entitle-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/renewals/${quoteNumber}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Renewal quote ${quoteNumber}`);

  const account = page.getByRole('tab', { name: 'Account information' });
  const rep = page.getByRole('tab', { name: 'Sales representative' });
  await expect(account).toHaveAttribute('aria-selected', 'true');
  const accountPanel = page.getByRole('tabpanel', { name: 'Account information' });
  await expect(accountPanel).toContainText('7034521');
  await expect(accountPanel).toContainText('Renewal due date');
  await rep.click();
  await expect(rep).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Sales representative' })).toContainText('@entitle.example');
  await expect(accountPanel).toBeHidden();

  // The lines are priced: level and tax explained, total in rupiah.
  await expect(page.locator('table.data tbody')).toContainText('price level');
  await expect(page.locator('table.data tbody')).toContainText('PPN 12%');
  await expect(page.locator('#quote-total')).toHaveText(/^Rp [\d,]+\.\d{2}$/);
  const total = await page.locator('#quote-total').textContent();

  // 3. Add to cart (renew online is the default choice).
  await expect(page.getByLabel('Renew online: put this quote in my cart')).toBeChecked();
  await page.getByRole('button', { name: 'Add to cart' }).click();

  // 4. The cart shows every line of the renewal, priced.
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.locator('table.cart tbody tr').first()).toContainText(`Renewal quote ${quoteNumber}`);
  await expect(page.locator('#cart-total')).toHaveText(total!);

  // 5. Billing and shipping: terms, "I agree", "Continue".
  await page.getByRole('link', { name: 'Check out' }).click();
  await page.getByLabel('Company or name').fill('PT Nusantara Data');
  await page.getByLabel('Street address').fill('Jl. Jend. Sudirman Kav. 52');
  await page.getByLabel('City').fill('Jakarta Selatan');
  await page.getByLabel('State or province').fill('DKI Jakarta');
  await page.getByLabel('Postal code').fill('12190');
  await page.getByLabel('Name', { exact: true }).fill('Dewi Lestari');
  await page.getByLabel('E-mail address').fill('primary@nusantara.example');
  await page.getByLabel('NPWP (tax ID)').fill('01.234.567.8-901.000');
  await expect(page.getByRole('region', { name: /terms/i })).toBeVisible();
  await page.getByLabel('I agree to the terms and conditions').check();
  await page.getByRole('button', { name: 'Continue' }).click();

  // 6. Review and submit: card is the default; the methods of Indonesia are offered.
  await expect(page.getByLabel('Credit card')).toBeChecked();
  await expect(page.getByLabel('Purchase order')).toBeVisible();
  await expect(page.getByLabel('Bank transfer')).toBeVisible();
  await page.getByLabel('Card number').fill('3782 822463 10005');
  await expect(page.locator('#payment-security_code-hint')).toHaveText('4 digits on the front of the card, above the number');
  await page.getByLabel('Expiry month').selectOption('09');
  await page.getByLabel('Expiry year').selectOption({ index: 2 });
  await page.getByLabel('Security code').fill('1234');
  await page.getByLabel('Name on card').fill('Dewi Lestari');
  await page.getByRole('button', { name: 'Submit' }).click();

  // 7. Confirmation: reference number, payment, items; printable.
  await expect(page.getByRole('heading', { level: 1, name: 'Thank you for your order' })).toBeVisible();
  await expect(page.locator('#order-reference-number')).toHaveText(/^EN-\d{5}-\d{5}$/);
  await expect(page.locator('#order-payment')).toContainText('American Express •••• 0005');
  await expect(page.locator('#order-total')).toHaveText(total!);
  await expect(page.getByText(`${quoteNumber}`)).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.locator('#order-reference-number')).toBeVisible();

  // The quote now shows as ordered.
  await page.emulateMedia({ media: 'screen' });
  await page.goto(`/renewals/${quoteNumber}`);
  await expect(page.locator('#quote-status')).toHaveText('Ordered');
});
