// The search page in a real browser: Debian's chromium, headless, driven by playwright-core,
// loading a built site from a local HTTP server (with range requests, as static hosts have).
//
//   node search-browser.cjs SITE_PUBLIC_DIR EXPECTATIONS_JSON
//
// EXPECTATIONS_JSON: [{"name", "url" (relative to the site root), "ids" (top hits, best first,
// as `hoidap search --json` gives them), "total", "all_words", "corrected" (the query searched
// instead, or null)}]. Besides those, the script checks typing,
// filters and the back button, escaping, the live region and a 320 px wide screen.
// Prints one line per check and "N passed, N failed"; exits 1 on any failure.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { openProfile, Checks, settled } = require('./chromium.cjs');
const { serve } = require('./static-server.cjs');

const [siteDir, expectPath] = process.argv.slice(2);
if (!expectPath) {
  console.error('usage: node search-browser.cjs SITE_PUBLIC_DIR EXPECTATIONS_JSON');
  process.exit(2);
}
const expectations = JSON.parse(fs.readFileSync(expectPath, 'utf8'));
const checks = new Checks();
const check = checks.check.bind(checks);

async function shownIds(page) {
  return page.$$eval('#search-results [data-record-id]', (els) => els.map((e) => e.getAttribute('data-record-id')));
}

async function main() {
  const root = path.resolve(siteDir);
  const server = await serve(root, ['/']);
  const origin = server.origin + '/';
  const { context, close } = await openProfile();
  const errors = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') console.log('console: ' + m.text()); });

    // Queries from the URL, compared with what `hoidap search` returned.
    for (const ex of expectations) {
      await page.goto(origin + ex.url);
      await settled(page);
      const ids = await shownIds(page);
      const want = ex.ids.slice(0, 10);
      const same = JSON.stringify(ids.slice(0, want.length)) === JSON.stringify(want);
      check(`${ex.name}: same hits as hoidap search`, same && ids.length >= want.length,
        `got ${JSON.stringify(ids.slice(0, 10))}, want ${JSON.stringify(want)}`);
      const status = await page.textContent('#search-status');
      // "N with all the words · M with some of them", each part only when not zero.
      const some = ex.total - ex.all_words;
      const announced = (ex.all_words === 0 || status.includes(String(ex.all_words))) &&
        (some === 0 || status.includes(String(some)));
      check(`${ex.name}: the live region announces ${ex.all_words} + ${some}`, announced, status);
      // A corrected query says what was searched instead ("Kết quả cho …").
      const note = await page.isVisible('#search-corrected') ? await page.textContent('#search-corrected') : null;
      // The correction script and the vocabulary are downloaded only when a syllable is unknown.
      const loaded = await page.evaluate(() => performance.getEntriesByType('resource')
        .map((e) => e.name).filter((n) => /search-correct\.js$|vocab\.txt$/.test(n)).length);
      if (ex.corrected) {
        check(`${ex.name}: the page says it searched ${ex.corrected}`, note !== null && note.includes(ex.corrected), String(note));
        check(`${ex.name}: the correction script and vocabulary were fetched`, loaded === 2, String(loaded));
      } else {
        check(`${ex.name}: no correction notice`, note === null, String(note));
        check(`${ex.name}: nothing fetched for corrections`, loaded === 0, String(loaded));
      }
    }

    // An abbreviation's long form is marked as a whole (`ubnd`: `Ủy ban nhân dân`), not every
    // `bán` or `dân` of a snippet (the test adds a record that writes both).
    await page.goto(origin + 'search/?q=ubnd+xa');
    await settled(page);
    const snippets = await page.$$eval('#search-results .search-snippet', (els) => els.map((e) => e.innerHTML).join('\n'));
    const whole = /<mark>Ủy<\/mark> <mark>ban<\/mark> <mark>nhân<\/mark> <mark>dân<\/mark>/g;
    const runs = (snippets.match(whole) || []).length;
    const stray = snippets.replace(whole, '').match(/<mark>(ủy|uỷ|ban|bán|bận|nhân|dân)<\/mark>/gi);
    check('abbreviation: its long form is marked as a whole, its syllables alone not',
      runs > 0 && !stray, `${runs} whole, stray ${JSON.stringify(stray)}`);

    // Twenty hits at first; "more results" shows the next twenty.
    await page.goto(origin + 'search/?q=doi+thoai');
    await settled(page);
    const first = (await shownIds(page)).length;
    check('more: a button when there are more hits', first === 20 && await page.isVisible('#search-more'), `${first} shown`);
    await page.click('#search-more');
    await page.waitForFunction((n) => document.querySelectorAll('#search-results [data-record-id]').length > n, first);
    check('more: the next hits appear', (await shownIds(page)).length > first);

    // Typing without diacritics shows results as you type and keeps the query in the URL.
    await page.goto(origin + 'search/');
    await settled(page);
    await page.focus('#search-q');
    await page.keyboard.type('duong', { delay: 30 });
    await page.waitForFunction(() => document.querySelectorAll('#search-results [data-record-id]').length > 0, null, { timeout: 15000 });
    await settled(page);
    check('typing: results appear', (await shownIds(page)).length > 0);
    check('typing: the URL keeps the query', new URL(page.url()).searchParams.get('q') === 'duong', page.url());
    const marks = await page.$$eval('#search-results mark', (els) => els.map((e) => e.textContent));
    check('typing: matches are highlighted', marks.length > 0, JSON.stringify(marks.slice(0, 5)));
    const meta = await page.textContent('#search-results .search-meta');
    check('each hit shows agency, date and status', /\d{4}-\d{2}-\d{2}/.test(meta) && meta.split('·').length >= 3, meta);

    // A record whose date is unknown says so (cu-0001 of the example, from an old archive).
    await page.goto(origin + 'search/?q=' + encodeURIComponent('hóa đơn thuế khoán'));
    await settled(page);
    const undated = await page.$eval('#search-results [data-record-id="cu-0001"] .search-meta', (e) => e.textContent).catch(() => null);
    check('an unknown date reads "không rõ ngày"', undated !== null && undated.includes('không rõ ngày'), String(undated));

    // A filter from the form goes into the URL; the back button returns to the query without it.
    const before = await shownIds(page);
    // The filters are folded away until asked for.
    check('filters: folded at first', !(await page.isVisible('select[name=year]')));
    await page.click('#search-filters-box > summary');
    const year = await page.$eval('select[name=year] option:nth-child(2)', (o) => o.value);
    await page.selectOption('select[name=year]', year);
    await page.waitForFunction((y) => new URL(location.href).searchParams.get('year') === y, year);
    await settled(page);
    const filtered = await shownIds(page);
    check('filter: the year is in the URL', new URL(page.url()).searchParams.get('year') === year, page.url());
    check('filter: results change', JSON.stringify(filtered) !== JSON.stringify(before) || filtered.length === 0);
    const summary = await page.textContent('#search-filters-box > summary');
    check('filter: the active one shows in the summary', summary.includes(year), summary);
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('year'));
    await settled(page);
    check('back button: the filter is gone', (await page.$eval('select[name=year]', (s) => s.value)) === '');
    check('back button: the earlier results return', JSON.stringify(await shownIds(page)) === JSON.stringify(before));

    // Keyboard: Tab from the query box reaches the filters and the first result link.
    await page.focus('#search-q');
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => !!document.activeElement.closest('#search-results'));
    }
    check('keyboard: Tab reaches the results', reached);

    // Telex typed key by key with the input method off: the last state is the corrected query.
    await page.goto(origin + 'search/');
    await settled(page);
    await page.focus('#search-q');
    await page.keyboard.type('xaay dungwj', { delay: 40 });
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'xaay dungwj');
    await settled(page);
    const typedNote = await page.isVisible('#search-corrected') ? await page.textContent('#search-corrected') : '';
    check('typing Telex: the notice names the corrected query', typedNote.includes('xây dựng'), typedNote);
    check('typing Telex: results appear', (await shownIds(page)).length > 0);

    // Keyboard: the folded filters open with Enter on their summary.
    await page.goto(origin + 'search/?q=thue');
    await settled(page);
    await page.focus('#search-filters-box > summary');
    await page.keyboard.press('Enter');
    check('keyboard: Enter unfolds the filters', await page.$eval('#search-filters-box', (d) => d.open));

    // Nothing from a query runs as script.
    await page.goto(origin + 'search/?q=' + encodeURIComponent('<img src=x onerror="window.__xss=1">thuế'));
    await settled(page);
    const xss = await page.evaluate(() => window.__xss === 1 || !!document.querySelector('#search-results img'));
    check('escaping: a query cannot inject markup', !xss);

    // 320 px wide: nothing overflows sideways.
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(origin + 'search/?q=' + encodeURIComponent('giấy phép xây dựng'));
    await settled(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check('320 px: no horizontal scrolling', width <= 320, `scrollWidth ${width}`);
    await page.screenshot({ path: path.join(os.tmpdir(), 'hoidap-search-320.png'), fullPage: false });

    // A phone, 390 x 844: one search box, filters folded with the active one in sight, the
    // count in one line, and the first result starting on the first screen.
    await page.setViewportSize({ width: 390, height: 844 });
    const phoneUrls = ['search/?q=' + encodeURIComponent('giấy phép xây dựng') + '&year=2018', 'search/?q=thuees',
      'search/?q=' + encodeURIComponent('đối thoại')];
    for (const q of phoneUrls) {
      await page.goto(origin + q);
      await settled(page);
      const phone = await page.evaluate(() => {
        const first = document.querySelector('#search-results [data-record-id]');
        const status = document.getElementById('search-status');
        const line = parseFloat(getComputedStyle(status).lineHeight) || 24;
        return {
          boxes: document.querySelectorAll('input[type=search]').length,
          folded: !document.getElementById('search-filters-box').open,
          summary: document.querySelector('#search-filters-box > summary').textContent,
          statusLines: Math.round(status.getBoundingClientRect().height / line),
          statusText: status.textContent,
          top: first ? first.getBoundingClientRect().top : null,
          width: document.documentElement.scrollWidth,
          // Room for the hits from the first paint, so that they do not push the footer.
          reserved: parseFloat(getComputedStyle(document.getElementById('search-results')).minHeight) >= innerHeight,
          headings: [...document.querySelectorAll('#search-results h2')].length
        };
      });
      check(`390 px ${q}: one search box`, phone.boxes === 1, String(phone.boxes));
      check(`390 px ${q}: filters folded`, phone.folded);
      check(`390 px ${q}: the count in one line`, phone.statusLines === 1, phone.statusLines + ': ' + phone.statusText);
      check(`390 px ${q}: the first result starts on the first screen`, phone.top !== null && phone.top < 844 - 60, String(phone.top));
      check(`390 px ${q}: no horizontal scrolling`, phone.width <= 390, String(phone.width));
      check(`390 px ${q}: the hits' place is kept before they arrive`, phone.reserved);
      check(`390 px ${q}: hits are headings under the page's h1`, phone.headings > 0, String(phone.headings));
      if (q.includes('year=')) check('390 px: the active filter is visible', phone.summary.includes('2018'), phone.summary);
      if (q.includes('thuees')) check('390 px: the correction notice is visible', await page.isVisible('#search-corrected'));
    }
    await page.screenshot({ path: path.join(os.tmpdir(), 'hoidap-search-390.png'), fullPage: false });

    // Warm query time, for the record (not a pass/fail: timings vary by machine).
    const warm = await page.evaluate(async () => {
      const S = window.HoidapSearch;
      const idx = new S.Index(S.browserFetcher(document.getElementById('search-app').getAttribute('data-index')));
      await idx.search({ q: 'cấp giấy phép xây dựng', limit: 10 });
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) await idx.search({ q: 'cấp giấy phép xây dựng', limit: 10 });
      return (performance.now() - t0) / 20;
    });
    console.log(`note warm query: ${warm.toFixed(2)} ms`);

    check('no script errors on the page', errors.length === 0, errors.join('; '));
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
