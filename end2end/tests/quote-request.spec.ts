// Journey: a customer sends the cart to the sales rep as a quote request → the rep prices it in the desk
// (the form checks the terms as they are typed) → the customer opens the quote from the e-mail and
// accepts it into the cart, where the discount applies.
import { expect, test } from '@playwright/test';
import { expectNoViolations } from './fixtures/axe';
import { linkIn, waitForMail } from './fixtures/mailbox';
import { expectMoneyAddsUp } from './fixtures/screen';
import { signIn } from './fixtures/session';

test('a quote request is priced in the desk and accepted into the cart at the discount', async ({ page, browser, baseURL }) => {
  test.setTimeout(90_000);
  await signIn(page, 'buyer@partnered.example', '/catalog');
  const found = await page.request.get('/api/v1/catalog/parts?part_type=license_sns&per_page=1&site=9120450');
  const part = (await found.json()).items[0].part_number as string;
  await page.goto(`/catalog/parts/${part}`);
  await page.getByLabel('Quantity').fill('40');
  await page.getByRole('button', { name: 'Request quote' }).click();
  await expect(page).toHaveURL(/\/cart#request-quote$/);
  await page.getByLabel('Note for the sales representative (optional)').fill('40 users for the new team: your best price?');
  await page.getByRole('button', { name: 'Request quote' }).click();
  await expect(page).toHaveURL(/\/quotes\?sent=QR-\d+$/);
  const number = new URL(page.url()).searchParams.get('sent')!;
  await expect(page.getByRole('article', { name: new RegExp(number) })).toContainText('Waiting for the sales representative');

  // The sales rep prices it in the desk.
  const desk = await browser.newContext({ baseURL });
  const rep = await desk.newPage();
  await signIn(rep, 'sales@entitle.example', '/desk');
  await expect(rep.locator('#count-quote-requests')).toHaveText(/^[1-9]\d*$/);
  await rep.getByRole('link', { name: 'Quote requests' }).click();
  const request = rep.getByRole('article', { name: new RegExp(number) });
  await expect(request).toContainText('40 users for the new team');
  const discount = request.getByLabel('Discount (%)');
  await discount.fill('120');
  await discount.blur();
  await expect(request.locator(`#discount-${number}-error`)).toHaveText('the discount must be from 0 to 100 percent');
  await expect(discount).toHaveAttribute('aria-invalid', 'true');
  await discount.fill('12,5');
  await expect(request.locator(`#discount-${number}-error`)).toBeEmpty();
  await expectNoViolations(rep, 'the quote-request queue');
  await request.getByLabel('Note for the customer (optional)').fill('12.5 % for the new team.');
  await request.getByRole('button', { name: `Send quote ${number}` }).click();
  await expect(request.getByRole('status')).toHaveText('Quote sent to buyer@partnered.example');
  await expect(request).toContainText('Quoted');
  await desk.close();

  // The customer opens the quote from the e-mail and accepts it. Partnered GmbH's buyer chose German,
  // so the mail is German; the rep's note is kept as typed.
  const mail = await waitForMail('buyer@partnered.example', new RegExp(`^Ihr Angebot ${number} ist fertig`));
  expect(mail.body).toContain('12.5 % for the new team.');
  await page.goto(linkIn(mail, `${baseURL}/quotes#`));
  const quote = page.getByRole('article', { name: new RegExp(number) });
  await expect(quote).toContainText('Quoted');
  await expect(quote).toContainText('Discount 12.50%');
  await expect(quote).toContainText('From your sales representative: 12.5 % for the new team.');
  await expectNoViolations(page, 'the quotes page with a quote to accept');
  await quote.getByRole('button', { name: `Accept into cart ${number}` }).click();
  await expect(page).toHaveURL(/\/cart$/);
  const line = page.locator('table.cart tbody tr').filter({ hasText: part });
  await expect(line).toContainText(`From quote ${number}`);
  await expect(page.locator('dl.money-summary [data-row=discount] dt')).toHaveText('Discount');
  await expectMoneyAddsUp(page, 'the cart with a discounted quote');
  await expect(page.getByRole('link', { name: 'Check out' })).toBeVisible();

  // Review and submit shows the same rows — discount included — and they add up (they did not).
  await page.getByRole('link', { name: 'Check out' }).click();
  await page.getByLabel('Company or name').fill('Rheinland Werke GmbH');
  await page.getByLabel('Street address').fill('Rheinallee 1');
  await page.getByLabel('City').fill('Düsseldorf');
  await page.getByLabel('Postal code').fill('40213');
  await page.getByLabel('Name', { exact: true }).fill('Lena Hoffmann');
  await page.getByLabel('E-mail address').fill('buyer@partnered.example');
  await page.getByLabel('I agree to the terms and conditions').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('#review-total')).toBeVisible();
  await expect(page.locator('dl.money-summary [data-row=discount] dt')).toHaveText('Discount');
  await expectMoneyAddsUp(page, 'review and submit with a discounted quote');
  await page.goto('/quotes');
  await expect(page.getByRole('article', { name: new RegExp(number) })).toContainText('Accepted');
});

test('changing a quoted quantity in the cart sends the quote back to the sales rep and holds checkout', async ({ page, browser, baseURL }) => {
  test.setTimeout(90_000);
  await signIn(page, 'buyer@cascade.example', '/catalog');
  const csrf = async (p: typeof page) => (await (await p.request.get('/api/v1/session')).json()).csrf_token as string;
  const session = await (await page.request.get('/api/v1/session')).json();
  const site = session.sites.find((s: { privileges: { buy: boolean } }) => s.privileges.buy).customer_number as string;
  const found = await page.request.get(`/api/v1/catalog/parts?part_type=license_sns&per_page=1&site=${site}`);
  const part = (await found.json()).items[0].part_number as string;
  const headers = { 'X-CSRF-Token': await csrf(page) };
  expect((await page.request.post('/api/v1/cart/lines', { headers, data: { site, part_number: part, quantity: 30 } })).status()).toBe(201);
  const sent = await page.request.post('/api/v1/quote-requests', { headers, data: { site, note: 'Best price for 30?' } });
  expect(sent.status()).toBe(201);
  const number = (await sent.json()).number as string;

  const desk = await browser.newContext({ baseURL });
  const rep = await desk.newPage();
  await signIn(rep, 'sales@entitle.example', '/desk');
  // Valid for 20 days from the server's today (its clock, not this machine's).
  const today = (await (await rep.request.get('/api/v1/session')).json()).today as string;
  const validUntil = new Date(Date.parse(`${today}T00:00:00Z`) + 20 * 86_400_000).toISOString().slice(0, 10);
  const quoted = await rep.request.post(`/api/v1/desk/quote-requests/${number}/quote`, {
    headers: { 'X-CSRF-Token': await csrf(rep) },
    data: { discount_percent: '30', valid_until: validUntil },
  });
  expect(quoted.status(), await quoted.text()).toBe(200);
  await desk.close();
  expect((await page.request.post(`/api/v1/quote-requests/${number}/accept`, { headers, data: {} })).status()).toBe(200);

  await page.goto('/cart');
  const line = page.locator('table.cart tbody tr').filter({ hasText: part });
  await expect(line).toContainText('changing the quantity sends the quote back to them');
  await line.getByLabel(`Quantity ${part}`).fill('3000');
  await line.getByRole('button', { name: 'Update' }).click();
  const notice = page.locator('#quote-with-sales-rep');
  await expect(notice).toContainText(`You changed quote ${number}`);
  await expect(page.getByRole('link', { name: 'Check out' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Check out' })).toBeDisabled();
  await expectMoneyAddsUp(page, 'the cart with a quote sent back');
  await page.goto('/quotes');
  await expect(page.getByRole('article', { name: new RegExp(number) })).toContainText('Waiting for the sales representative');
  // The quote leaves the cart, so the next tests start from an empty one.
  await page.goto('/cart');
  await line.getByRole('button', { name: `Delete ${part}` }).click();
  await expect(page.locator('table.cart tbody tr').filter({ hasText: part })).toHaveCount(0);
});
