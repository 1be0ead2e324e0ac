// Layout-shift budget: each main screen, loaded signed in, is measured with the browser's own
// layout-shift entries (the Cumulative Layout Shift of Core Web Vitals, summed over the whole load, which
// is never less than CLS). The figures are printed; the budget is Google's "good" threshold, 0.1.
// Skeleton placeholders keep the page from jumping while data loads.
import { expect, test } from '@playwright/test';
import { signIn } from './fixtures/session';

const BUDGET = 0.1;

declare global {
  interface Window { __shifts: { value: number; sources: string[] }[] }
}

test('no screen shifts its layout while it loads (CLS within 0.1)', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources?: { node?: Node }[] }[]) {
        if (!e.hadRecentInput) {
          window.__shifts.push({
            value: e.value,
            sources: (e.sources ?? []).map((s) => (s.node instanceof Element ? `${s.node.tagName.toLowerCase()}.${s.node.className}` : String(s.node?.nodeName))),
          });
        }
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, 'primary@nusantara.example', '/renewals');
  const quote = await page.locator('table.data tbody a').first().getAttribute('href');
  const rows: { path: string; cls: number; worst: string }[] = [];
  for (const path of ['/', '/catalog?q=Guardian', '/renewals', quote!, '/coverage', '/cart', '/orders', '/quotes', '/saved-carts']) {
    await page.goto(path);
    await expect(page.locator('.skeleton')).toHaveCount(0);
    await page.waitForLoadState('networkidle');
    // Two frames, so the last layout after the data arrived is recorded.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const shifts = await page.evaluate(() => window.__shifts);
    const cls = shifts.reduce((sum, s) => sum + s.value, 0);
    const worst = shifts.sort((a, b) => b.value - a.value)[0];
    rows.push({ path, cls: Number(cls.toFixed(4)), worst: worst ? `${worst.value.toFixed(4)} ${worst.sources.join(', ')}` : '' });
  }
  console.log('\nLayout shift per screen (budget %s):', BUDGET);
  console.table(rows);
  for (const r of rows) {
    expect(r.cls, `${r.path} shifted: ${r.worst}`).toBeLessThanOrEqual(BUDGET);
  }
});
