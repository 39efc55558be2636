// What every browser test shares: Debian's chromium launched the same way, the "ok / FAIL"
// lines with their summary, and waiting for the search page to answer.
//
//   const { openProfile, openBrowser, Checks } = require('./chromium.cjs');
//   const { context, close } = await openProfile({ viewport: ... });  // a fresh profile
//   const checks = new Checks();  checks.check('name', ok, detail);  checks.finish();
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Headless, without the sandbox (containers lack user namespaces), and with nothing that
// reaches out by itself (component updates, sync, background requests), so that a test's
// requests are only the page's own.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// A persistent context on a new temporary profile; `close` also removes the profile.
async function openProfile(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hoidap-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...options,
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS
  });
  const close = async () => {
    try {
      await context.close();
    } finally {
      fs.rmSync(profile, { recursive: true, force: true });
    }
  };
  return { context, close };
}

// A browser without a profile, for contexts with their own settings (no JavaScript, say).
function openBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

// Waits until the search page has answered (or failed): its app's `data-state`.
async function settled(page) {
  await page.waitForFunction(() => {
    const app = document.getElementById('search-app');
    return app && ['done', 'idle', 'error'].includes(app.getAttribute('data-state'));
  }, null, { timeout: 15000 });
}

// One line per check, then "N passed, N failed"; `finish` exits 1 on any failure.
class Checks {
  constructor() {
    this.passed = 0;
    this.failed = 0;
  }

  check(name, ok, detail) {
    if (ok) this.passed++; else this.failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : ': ' + detail}`);
  }

  finish() {
    console.log(`${this.passed} passed, ${this.failed} failed`);
    process.exit(this.failed === 0 ? 0 : 1);
  }
}

module.exports = { openProfile, openBrowser, Checks, settled };
