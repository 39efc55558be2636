// Accessibility: runs axe-core (WCAG 2.0/2.1 A and AA rules) in Debian's headless chromium,
// driven by playwright-core, over every page that a built site's sitemap.xml lists, plus 404.
//
//   node bench/axe-check.cjs SITE_PUBLIC_DIR AXE_MIN_JS PLAYWRIGHT_CORE_DIR
//
// Prints each violation with the pages and elements it was found on, then
// "N passed, N failed" (pages); exits 1 on any violation.
'use strict';
const fs = require('fs');
const path = require('path');
const http = require('http');

const [siteDir, axePath, playwrightDir] = process.argv.slice(2);
if (!playwrightDir) {
  console.error('usage: node bench/axe-check.cjs SITE_PUBLIC_DIR AXE_MIN_JS PLAYWRIGHT_CORE_DIR');
  process.exit(2);
}
const { chromium } = require(path.resolve(playwrightDir));
const axeSource = fs.readFileSync(axePath, 'utf8');
const root = path.resolve(siteDir);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.xml': 'application/xml', '.svg': 'image/svg+xml'
};

function serve() {
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { 'Content-Type': TYPES['.html'] });
      res.end(fs.readFileSync(path.join(root, '404.html')));
      return;
    }
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Page paths from the sitemap (or the files of a sitemap index), relative to the home page,
// which every sitemap lists and whose URL is the shortest.
function pagesOf() {
  const read = (rel) => fs.readFileSync(path.join(root, rel), 'utf8');
  const locs = (xml) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  const top = read('sitemap.xml');
  let urls = locs(top);
  if (top.includes('<sitemapindex')) {
    urls = urls.flatMap((u) => locs(read(u.slice(u.lastIndexOf('/') + 1))));
  }
  const home = urls.reduce((a, b) => (a.length <= b.length ? a : b));
  return urls.map((u) => u.slice(home.length)).concat(['404.html']);
}

(async () => {
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage();
  const found = new Map();
  let passed = 0;
  let failed = 0;
  for (const rel of pagesOf()) {
    await page.goto(origin + rel, { waitUntil: 'load' });
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    );
    if (result.violations.length === 0) {
      passed += 1;
      continue;
    }
    failed += 1;
    for (const v of result.violations) {
      const entry = found.get(v.id) || { help: v.help, impact: v.impact, pages: [], nodes: new Set() };
      entry.pages.push(rel || '/');
      v.nodes.slice(0, 3).forEach((n) => entry.nodes.add(n.target.join(' ')));
      found.set(v.id, entry);
    }
  }
  await browser.close();
  server.close();
  for (const [id, v] of found) {
    console.log(`violation ${id} (${v.impact}): ${v.help}`);
    console.log(`  on ${v.pages.length} page(s): ${v.pages.slice(0, 5).join(', ')}${v.pages.length > 5 ? ', …' : ''}`);
    for (const n of v.nodes) console.log(`  element: ${n}`);
  }
  console.log(`axe-core: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
