// Record pages in a real browser (Debian's chromium, headless, driven by playwright-core): the
// share box, and axe-core over the home, a record and the search page.
//
//   node record-browser.cjs SITE_PUBLIC_DIR RECORD_PATH
//
// RECORD_PATH is a record page relative to the site root (`records/2014-0007/`). Checks:
// the copy-link fallback (the button, the clipboard, the confirmation in the live region),
// the share sheet where the Web Share API exists, the button hidden without JavaScript, and
// no axe-core violation (WCAG 2.1 A and AA, and the landmark rules of best practice).
// Prints one line per check and "N passed, N failed"; exits 1 on any failure.
'use strict';
const fs = require('fs');
const path = require('path');
const { openProfile, openBrowser, Checks } = require('./chromium.cjs');
const { serve } = require('./static-server.cjs');

const [siteDir, recordPath] = process.argv.slice(2);
if (!recordPath) {
  console.error('usage: node record-browser.cjs SITE_PUBLIC_DIR RECORD_PATH');
  process.exit(2);
}
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_RULES = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  rules: {
    'landmark-unique': { enabled: true },
    'landmark-no-duplicate-banner': { enabled: true },
    'landmark-no-duplicate-contentinfo': { enabled: true },
    'landmark-no-duplicate-main': { enabled: true },
    'landmark-one-main': { enabled: true },
    'landmark-complementary-is-top-level': { enabled: true },
    'page-has-heading-one': { enabled: true },
    'heading-order': { enabled: true }
  }
};
const checks = new Checks();
const check = checks.check.bind(checks);

async function main() {
  const root = path.resolve(siteDir);
  const server = await serve(root, ['/']);
  const origin = server.origin + '/';
  const { context, close } = await openProfile({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const page = context.pages()[0] || await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));

    // The copy-link fallback: headless chromium on Linux has no share sheet.
    await page.goto(origin + recordPath, { waitUntil: 'load' });
    const button = page.locator('.share-button');
    await button.waitFor({ state: 'visible', timeout: 10000 });
    const hasShare = await page.evaluate(() => typeof navigator.share === 'function');
    const url = await button.getAttribute('data-url');
    const copyLabel = await button.getAttribute('data-t-copy');
    check('copy: no share sheet here, so the button copies', !hasShare && (await button.textContent()) === copyLabel,
      `share: ${hasShare}, label: ${await button.textContent()}`);
    await button.click();
    const copied = await button.getAttribute('data-t-copied');
    const status = page.locator('.share-status');
    await page.waitForFunction((want) => document.querySelector('.share-status').textContent === want, copied, { timeout: 5000 })
      .catch(() => {});
    check('copy: the live region confirms', (await status.textContent()) === copied, await status.textContent());
    check('copy: the confirmation is a polite status', (await status.getAttribute('role')) === 'status' &&
      (await status.getAttribute('aria-live')) === 'polite');
    check('copy: the confirmation is visible', await status.isVisible());
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    check('copy: the clipboard holds the canonical link', clip === url && url.endsWith('/' + recordPath), `${clip} vs ${url}`);

    // The keyboard reaches the button and Enter copies again (and is announced again).
    await page.evaluate(() => { document.querySelector('.share-status').textContent = ''; });
    await button.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((want) => document.querySelector('.share-status').textContent === want, copied, { timeout: 5000 })
      .catch(() => {});
    check('copy: Enter on the focused button copies too', (await status.textContent()) === copied);

    // The share sheet where there is one (a phone): the page's link and title go to it.
    const sharing = await context.newPage();
    await sharing.addInitScript(() => {
      window.__shared = [];
      navigator.share = (data) => { window.__shared.push(data); return Promise.resolve(); };
    });
    await sharing.goto(origin + recordPath, { waitUntil: 'load' });
    const shareButton = sharing.locator('.share-button');
    await shareButton.waitFor({ state: 'visible', timeout: 10000 });
    const shareLabel = await shareButton.getAttribute('data-t-share');
    check('share: the button offers the share sheet', (await shareButton.textContent()) === shareLabel, await shareButton.textContent());
    await shareButton.click();
    const shared = await sharing.evaluate(() => window.__shared);
    const title = await sharing.locator('h1').textContent();
    check('share: the sheet gets the link and the title', shared.length === 1 && shared[0].url === url && shared[0].title === title.trim(),
      JSON.stringify(shared));
    await sharing.close();

    // Facebook: a plain link to its share page with the record's link, no script of theirs.
    const fb = await page.locator('.share-facebook').getAttribute('href');
    check('facebook: a plain link to the share page', fb === 'https://www.facebook.com/sharer/sharer.php?u=' + encodeURIComponent(url), fb);
    const scripts = await page.$$eval('script[src]', (els) => els.map((e) => e.src));
    check('no third-party script', scripts.every((s) => s.startsWith(origin)), scripts.join(' '));

    // The related questions and the facts sit in the right column on a wide screen.
    const boxes = await page.evaluate(() => {
      const r = (sel) => { const e = document.querySelector(sel); return e && e.getBoundingClientRect().toJSON(); };
      return { body: r('.record-body'), side: r('.record-side'), related: r('.related') };
    });
    check('layout: facts and related beside the text at 1280 px',
      boxes.side && boxes.body && boxes.side.left >= boxes.body.right && boxes.side.top < boxes.body.bottom &&
      boxes.related && boxes.related.left >= boxes.body.right, JSON.stringify(boxes));
    await page.setViewportSize({ width: 360, height: 800 });
    const narrow = await page.evaluate(() => {
      const b = document.querySelector('.record-body').getBoundingClientRect();
      const s = document.querySelector('.record-side').getBoundingClientRect();
      return { below: s.top >= b.bottom, wide: document.documentElement.scrollWidth <= 360 };
    });
    check('layout: below the text at 360 px, no sideways scrolling', narrow.below && narrow.wide, JSON.stringify(narrow));
    await page.setViewportSize({ width: 1280, height: 900 });

    // axe-core over the home, the record and the search page.
    for (const rel of ['', recordPath, 'search/']) {
      await page.goto(origin + rel, { waitUntil: 'load' });
      await page.addScriptTag({ content: AXE });
      // eslint-disable-next-line no-undef
      const result = await page.evaluate((rules) => axe.run(document, rules), AXE_RULES);
      const found = result.violations.map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
      check(`axe: no violation on /${rel}`, found.length === 0, found.join('; '));
    }
  } finally {
    await close();
    server.close();
  }

  // Without JavaScript the button (which needs it) is not shown; the Facebook link is.
  const browser = await openBrowser();
  const server2 = await serve(root, ['/']);
  try {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${server2.address().port}/${recordPath}`, { waitUntil: 'load' });
    check('no script: the button stays hidden, the Facebook link shows',
      !(await page.isVisible('.share-button')) && await page.isVisible('.share-facebook'));
  } finally {
    await browser.close();
    server2.close();
  }

  check('no script errors', errors.length === 0, errors.join(' | '));
  checks.finish();
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
