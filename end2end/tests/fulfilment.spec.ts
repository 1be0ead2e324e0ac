// Journey: orders move through the desk — received → processing → completed, or cancelled with a
// reason — and the customer sees each status on the order page.
import { expect, test } from '@playwright/test';
import { expectNoViolations } from './fixtures/axe';
import { orderByPurchaseOrder } from './fixtures/api';
import { signIn } from './fixtures/session';

const JAKARTA = { name: 'PT Nusantara Data', line1: 'Jl. Jend. Sudirman 1', line2: '', city: 'Jakarta', region: 'DKI Jakarta', postal_code: '10220', country: 'ID' };

test('the renewal rep completes one order and cancels another, and the customer sees both', async ({ page, browser, baseURL }) => {
  test.setTimeout(90_000);
  await signIn(page, 'primary@nusantara.example', '/orders');
  const completed = await orderByPurchaseOrder(page, '7034521', JAKARTA, '0123456789012345');
  const cancelled = await orderByPurchaseOrder(page, '7034521', JAKARTA, '0123456789012345');

  const desk = await browser.newContext({ baseURL });
  const rep = await desk.newPage();
  await signIn(rep, 'renewals@entitle.example', '/desk');
  await expect(rep.locator('#count-orders')).toHaveText(/^[1-9]\d*$/);
  await rep.getByRole('link', { name: 'Orders to fulfil' }).click();
  await expect(rep.locator('#order-queue')).toBeVisible();
  await expectNoViolations(rep, 'the order queue');
  // The queue is paged: the order is found by its reference.
  const search = rep.getByLabel('Order, customer number or site');
  await search.fill(completed);
  await search.press('Enter');
  await expect(rep.locator('#order-queue tbody tr')).toHaveCount(1);
  const first = rep.getByRole('article', { name: new RegExp(completed) });
  await expect(first).toContainText('Received');
  await expectNoViolations(rep, 'the orders to fulfil');
  await first.getByRole('button', { name: `Start processing ${completed}` }).click();
  await expect(first).toContainText('Processing');
  await expect(rep.locator('#fulfil-outcome')).toHaveText(`${completed}: processing started; the customer was told.`);
  await first.getByRole('button', { name: `Complete ${completed}` }).click();
  await expect(first).toHaveCount(0);
  await expect(rep.locator('#fulfil-outcome')).toContainText(`${completed}: completed`);
  await rep.getByLabel('Status').selectOption('completed');
  const done = rep.getByRole('article', { name: new RegExp(completed) });
  await expect(done).toContainText('Completed');
  // The desk downloads the completed order's invoice too.
  const deskInvoice = await rep.request.get(await done.getByRole('link', { name: 'Download invoice (PDF)' }).getAttribute('href') as string);
  expect(deskInvoice.status()).toBe(200);
  expect(deskInvoice.headers()['content-type']).toBe('application/pdf');
  await rep.getByLabel('Status').selectOption('');
  await search.fill(cancelled);
  await search.press('Enter');

  const second = rep.getByRole('article', { name: new RegExp(cancelled) });
  // Cancelling asks one question, in a dialog: the reason the customer is told.
  await second.getByRole('button', { name: `Cancel order ${cancelled}` }).click();
  const dialog = rep.getByRole('dialog', { name: `Cancel order ${cancelled}?` });
  await expect(dialog.getByLabel('Reason for cancelling (the customer is told)')).toBeFocused();
  await dialog.getByRole('button', { name: 'Keep the order' }).click();
  await expect(dialog).toHaveCount(0);
  await second.getByRole('button', { name: `Cancel order ${cancelled}` }).click();
  await dialog.getByRole('button', { name: 'Cancel the order' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('This field is required');
  await expectNoViolations(rep, 'the cancel dialog');
  await dialog.getByLabel('Reason for cancelling (the customer is told)').fill('Ordered twice by mistake');
  await dialog.getByRole('button', { name: 'Cancel the order' }).click();
  await expect(second).toHaveCount(0);
  await expect(rep.locator('#fulfil-outcome')).toHaveText(`${cancelled}: cancelled; the customer was told the reason.`);
  await desk.close();

  await page.goto(`/orders/${completed}`);
  await expect(page.locator('#order-status')).toHaveText('Completed');
  // Completed: the invoice and the proof of entitlement are there beside the receipt.
  for (const name of ['Download invoice (PDF)', 'Download proof of entitlement (PDF)']) {
    const pdf = await page.request.get(await page.getByRole('link', { name }).getAttribute('href') as string);
    expect(pdf.status(), name).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  }
  await page.goto(`/orders/${cancelled}`);
  await expect(page.locator('#order-status')).toHaveText('Cancelled');
  await expect(page.getByRole('link', { name: 'Download PDF receipt' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download invoice (PDF)' })).toHaveCount(0);
  await expect(page.locator('#cancel-reason')).toHaveText('Ordered twice by mistake');
});
