// Journey: the customer edits a renewal line → the quote goes back to the renewal rep and can't be
// checked out → the rep re-issues it in the desk → the customer gets the notice, adds the new version
// and checks out with a purchase order.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectNoViolations } from './fixtures/axe';
import { linkIn, waitForMail } from './fixtures/mailbox';
import { signIn } from './fixtures/session';

test('a changed renewal goes to the rep, comes back re-issued and is ordered by purchase order', async ({ page, browser, baseURL }) => {
  test.setTimeout(90_000);
  await signIn(page, 'buyer@express.example', '/renewals');
  const row = page.locator('table.data tbody tr').filter({ hasText: 'Austin (8812001)' });
  const quoteNumber = (await row.getByRole('link').textContent())!.trim();
  await row.getByRole('link').click();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page).toHaveURL(/\/cart$/);

  // Edit the first renewal line: the change goes to the rep, checkout waits.
  const first = page.locator('table.cart tbody tr').first();
  // A real change (the same quantity again would change nothing and go nowhere).
  const issued = await first.getByRole('spinbutton').inputValue();
  const wanted = issued === '1' ? '2' : '1';
  await first.getByRole('spinbutton').fill(wanted);
  await first.getByRole('button', { name: 'Update' }).click();
  const notice = page.locator('#change-requested');
  await expect(notice).toContainText('Sent to your renewal representative');
  await expect(notice).toContainText(quoteNumber);
  await expect(notice).toContainText("It can't be checked out until then");
  await expect(page.getByRole('button', { name: 'Check out' })).toBeDisabled();
  await page.goto(`/renewals/${quoteNumber}`);
  await expect(page.locator('#quote-status')).toHaveText('Change requested');
  await expect(page.locator('#renew-state')).toContainText('Your renewal representative will re-issue it');

  // The renewal rep, in the desk, sees the change against the issued quantity and re-issues the quote.
  const desk = await browser.newContext({ baseURL });
  const rep = await desk.newPage();
  await rep.goto('/sign-in');
  await rep.getByLabel('E-mail address').fill('renewals@entitle.example');
  await rep.getByLabel('Password').fill('entitle-demo');
  await rep.getByRole('button', { name: 'Sign in' }).click();
  await expect(rep).toHaveURL(/\/desk$/);
  await expect(rep.locator('#count-change-requests')).toHaveText(/^[1-9]\d*$/);
  await rep.getByRole('link', { name: 'Change requests' }).first().click();
  const card = rep.getByRole('article', { name: new RegExp(quoteNumber) });
  await expect(card).toContainText('Austin (8812001)');
  await expect(card.getByRole('spinbutton').first()).toHaveValue(wanted);
  await expectNoViolations(rep, 'the change-request queue');
  await card.getByLabel('Note for the customer (optional)').fill('Re-issued with the quantity you asked for.');
  await card.getByRole('button', { name: `Re-issue ${quoteNumber}` }).click();
  await expect(rep.locator('#reissued')).toContainText(quoteNumber);
  await expect(card).toHaveCount(0);
  await desk.close();

  // The customer is told, with the link to the new version.
  const mail = await waitForMail('buyer@express.example', new RegExp(`^Renewal quote ${quoteNumber} for Austin was re-issued`));
  expect(mail.body).toContain('Re-issued with the quantity you asked for.');
  await page.goto(linkIn(mail, `${baseURL}/renewals/`));
  await expect(page.locator('#quote-status')).toHaveText('Re-issued');
  await expect(page.getByText('version 2')).toBeVisible();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.locator('#change-requested')).toHaveCount(0);
  await expect(page.locator('table.cart tbody tr').first().getByRole('spinbutton')).toHaveValue(wanted);
  const total = await page.locator('#cart-total').textContent();

  // Check out with a purchase order.
  await page.getByRole('link', { name: 'Check out' }).click();
  await page.getByLabel('Company or name').fill('Express Labs Inc.');
  await page.getByLabel('Street address').fill('500 Congress Avenue');
  await page.getByLabel('City').fill('Austin');
  await page.getByLabel('State or province').fill('TX');
  await page.getByLabel('Postal code').fill('78701');
  await page.getByLabel('Name', { exact: true }).fill('Jordan Reyes');
  await page.getByLabel('E-mail address').fill('jordan@express.example');
  await page.getByLabel('I agree to the terms and conditions').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Purchase order').check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.locator('#payment-po_number-error')).not.toBeEmpty();
  await page.getByLabel('PO number').fill('PO-2026-0042');
  await page.getByRole('button', { name: 'Submit' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Thank you for your order' })).toBeVisible();
  await expect(page.locator('#order-payment')).toHaveText('Purchase order PO-2026-0042');
  await expect(page.locator('#order-total')).toHaveText(total!);
  await expect(page.getByText(quoteNumber)).toBeVisible();

  // The purchase-order document is attached to the order, once.
  await page.getByLabel('Attach your purchase-order document (PDF, up to 5 MB)').setInputFiles({
    name: 'PO-2026-0042.pdf',
    mimeType: 'application/pdf',
    // A real one-page PDF: the server parses what it is given.
    buffer: readFileSync(resolve(__dirname, '../../server/tests/fixtures/purchase-order.pdf')),
  });
  await page.getByRole('button', { name: 'Attach', exact: true }).click();
  await expect(page.locator('#po-document')).toContainText('PO-2026-0042.pdf');
  await page.reload();
  await expect(page.locator('#po-document').getByRole('link')).toHaveText('PO-2026-0042.pdf');
});
