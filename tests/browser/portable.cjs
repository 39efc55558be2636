// The built folder works wherever it is served: Debian's chromium, headless, driven by
// playwright-core, opens a site built for another address (a deep base_url) from a local
// server that serves the same folder at `/` and at `/mirror/`.
//
//   node portable.cjs SITE_PUBLIC_DIR EXPECTATIONS_JSON
//
// EXPECTATIONS_JSON: {"base_url", "query" (a search/ URL relative to the site root),
// "ids" (the top hits `hoidap search` gives for it)}. For each place the script checks that
// the style sheet applies, that links from the home page reach a record page and an index,
// that the search page shows the expected hits and its first hit opens, that every request
// stays under that place and finds its file, and that nothing is asked of base_url's host.
// Prints one line per check and "N passed, N failed"; exits 1 on any failure.
'use strict';
const fs = require('fs');
const { openProfile, Checks, settled } = require('./chromium.cjs');
const { serve } = require('./static-server.cjs');

const [siteDir, expectPath] = process.argv.slice(2);
if (!expectPath) {
  console.error('usage: node portable.cjs SITE_PUBLIC_DIR EXPECTATIONS_JSON');
  process.exit(2);
}
const expected = JSON.parse(fs.readFileSync(expectPath, 'utf8'));
const PLACES = ['/', '/mirror/'];

const checks = new Checks();
const check = checks.check.bind(checks);

// Whether the theme's style sheet applies to the page: rules that only it sets.
async function styled(page) {
  return page.evaluate(() => {
    const label = document.querySelector('.visually-hidden');
    const header = document.querySelector('.site-header');
    return !!label && getComputedStyle(label).position === 'absolute' &&
      !!header && getComputedStyle(header).backgroundColor !== 'rgba(0, 0, 0, 0)';
  });
}

async function main() {
  const server = await serve(siteDir, PLACES);
  const origin = server.origin;
  const published = new URL(expected.base_url).origin;
  const { context, close } = await openProfile();
  // Nothing leaves the machine: a request elsewhere is noted and refused.
  const elsewhere = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/') || url.startsWith('data:')) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  const errors = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    for (const place of PLACES) {
      const at = origin + place;
      const requests = [];
      const missing = [];
      const onRequest = (r) => requests.push(r.url());
      const onResponse = (r) => { if (r.status() >= 400) missing.push(`${r.status()} ${r.url()}`); };
      page.on('request', onRequest);
      page.on('response', onResponse);

      await page.goto(at);
      check(`${place}: the home page is styled`, await styled(page));

      // A record from the latest answers.
      const link = await page.$('ol.records a');
      const href = link && await link.getAttribute('href');
      check(`${place}: the home page links to records relatively`, !!href && !href.startsWith('/') && !href.includes('://'), href);
      if (link) {
        await link.click();
        await page.waitForLoadState();
        const url = page.url();
        check(`${place}: the link reaches a record page`, url.startsWith(at + 'records/') && !!await page.$('article.record'), url);
        check(`${place}: the record page is styled`, await styled(page));
      }

      // An index from the header, and back home from it.
      await page.click('.site-header nav a[href$="agencies/"]');
      await page.waitForLoadState();
      check(`${place}: the header reaches the agencies`, page.url() === at + 'agencies/', page.url());
      await page.click('a.site-title');
      await page.waitForLoadState();
      check(`${place}: the site title leads home`, page.url() === at || page.url() === at + './', page.url());

      // The search page fetches its index under this place and shows the CLI's hits.
      await page.goto(at + expected.query);
      await settled(page);
      const ids = await page.$$eval('#search-results [data-record-id]', (els) => els.map((e) => e.getAttribute('data-record-id')));
      const want = expected.ids.slice(0, 5);
      check(`${place}: search shows results`, ids.length > 0 &&
        JSON.stringify(ids.slice(0, want.length)) === JSON.stringify(want),
      `got ${JSON.stringify(ids.slice(0, 10))}, want ${JSON.stringify(want)}`);
      check(`${place}: search is styled`, await styled(page));
      const first = await page.$('#search-results [data-record-id] a');
      if (first) {
        await first.click();
        await page.waitForLoadState();
        check(`${place}: the first hit opens its record`, page.url() === `${at}records/${ids[0]}/`, page.url());
      }

      page.off('request', onRequest);
      page.off('response', onResponse);
      const outside = requests.filter((u) => u.startsWith(origin) && !u.startsWith(at));
      check(`${place}: every request stays under ${place}`, outside.length === 0, outside.slice(0, 5).join(' '));
      check(`${place}: every request finds its file`, missing.length === 0, missing.slice(0, 5).join(' '));
    }
    check(`nothing is asked of ${published}`, elsewhere.length === 0, elsewhere.slice(0, 5).join(' '));
    check('no script errors on the pages', errors.length === 0, errors.join('; '));
  } finally {
    await close();
    server.close();
  }
  checks.finish();
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
