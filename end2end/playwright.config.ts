// End-to-end tests: Debian's Chromium (Playwright's own browser download is not available here) against
// the real server, started on a fresh temporary SQLite database with the demo data.
import { defineConfig } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const port = Number(process.env.ENTITLE_E2E_PORT ?? 3100);
const smtpPort = Number(process.env.ENTITLE_E2E_SMTP_PORT ?? 3125);
// Workers evaluate this file again: they must reuse the main process's directory, not make another.
const dataDir = process.env.ENTITLE_E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'entitle-e2e-'));
process.env.ENTITLE_E2E_DATA_DIR = dataDir;
// The test SMTP server (aiosmtpd) writes every message it receives into this Maildir; the specs read
// the renewal notices and confirmations from it (fixtures/mailbox.ts).
export const maildir = path.join(dataDir, 'maildir');
process.env.ENTITLE_E2E_MAILDIR = maildir;
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
  webServer: [{
    command: `python3 -m aiosmtpd -n -l 127.0.0.1:${smtpPort} -c aiosmtpd.handlers.Mailbox ${maildir}`,
    port: smtpPort,
    reuseExistingServer: false,
    timeout: 30_000,
  }, {
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
      ENTITLE_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      ENTITLE_OUTBOX_POLL_SECS: '1',
      ENTITLE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      ENTITLE_SITE_DIR: path.resolve(__dirname, '../app/dist'),
      // Every test signs in from 127.0.0.1; the per-address limit is tested in server/tests/session.rs.
      ENTITLE_SIGN_INS_PER_MINUTE: '10000',
      ENTITLE_RESETS_PER_MINUTE: '10000',
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
    },
  }],
});
