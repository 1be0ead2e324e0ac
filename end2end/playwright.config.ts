// End-to-end tests: Debian's Chromium (Playwright's own browser download is not available here) against
// the real server, started on a fresh temporary SQLite database with the demo data.
import { defineConfig } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const port = Number(process.env.ENTITLE_E2E_PORT ?? 3100);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'entitle-e2e-'));
const server = process.env.ENTITLE_E2E_SERVER ?? path.resolve(__dirname, '../target/debug/entitle-server');

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: server,
    url: `http://127.0.0.1:${port}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      ENTITLE_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: `sqlite://${path.join(dataDir, 'entitle.db')}`,
      ENTITLE_DEMO: '1',
      ENTITLE_SITE_DIR: path.resolve(__dirname, '../app/dist'),
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
    },
  },
});
