// The npm package @entitle/core against the portal: a plain Node script (core/js/examples/
// renewal-quote.mjs, importing the package installed from its `npm pack` tarball by
// scripts/test-core-js.sh) prices the demo's Jakarta renewal quote from the portal's API, and its
// total is the one the portal computes and shows.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, signIn } from './fixtures/session';

const script = path.resolve(__dirname, '../../core/js/examples/renewal-quote.mjs');

test('a Node script prices the Jakarta renewal quote with the npm package to the total the portal shows', async ({ page, baseURL }) => {
  const run = spawnSync(process.execPath, [script, baseURL!, 'primary@nusantara.example', DEMO_PASSWORD, '7034521'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  const result = JSON.parse(run.stdout.trim().split('\n').pop()!);
  expect(result.same).toBe(true);
  expect(result.lines).toBeGreaterThan(1);
  expect(result.package_total).toBe(result.portal_total);

  await signIn(page, 'primary@nusantara.example', `/renewals/${result.quote_number}`);
  // Shown in the reader's language; either way the very figure the package computed.
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await expect(page.locator('#quote-total')).toHaveText(
    new RegExp(`^(${escape(result.package_total_en)}|${escape(result.package_total_id)})$`),
  );
});
