#!/usr/bin/env node
// What exact totals would cost a long query: for each query of bench/search-queries.json with
// more than eight words, the very common words it leaves out (docs/search.md, "Long queries")
// and the bytes of their sets of records, as the index stores them (gap list, runs or bitmap,
// whichever is smallest), Rice-coded (gaps, or the gaps of the complement when more than half
// of the records hold the word) and at the entropy of a set of that density (the least any
// coding of independent sets can take).
//
//   node bench/long-query-sets.cjs SITE_PUBLIC_DIR [QUERIES_JSON]
//
// SITE_PUBLIC_DIR is a built site's output (its search/ folder is read from disk).
'use strict';
const fs = require('fs');
const path = require('path');

const repo = path.resolve(__dirname, '..');
const [pub, qfile] = process.argv.slice(2);
if (!pub) {
  console.error('usage: node bench/long-query-sets.cjs SITE_PUBLIC_DIR [QUERIES_JSON]');
  process.exit(2);
}
const S = require(path.join(repo, 'themes/default/static/search.js'));
const dir = path.join(pub, 'search');
const fetcher = (rel, range) => fs.promises.readFile(path.join(dir, rel))
  .then((b) => (range ? b.subarray(range[0], range[1]) : b));
const queries = JSON.parse(fs.readFileSync(qfile || path.join(repo, 'bench/search-queries.json'), 'utf8'));

(async () => {
  const ix = new S.Index(fetcher);
  const n = (await ix.open()).records;
  const entropy = (p) => (p <= 0 || p >= 1 ? 0 : -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p)));
  const rice = (df) => {
    const x = Math.min(df, n - df);
    const k = x === 0 ? 0 : Math.max(0, Math.floor(Math.log2(n / x)));
    return Math.ceil((x * (k + 2)) / 8);
  };
  const kb = (b) => (b / 1024).toFixed(1);
  console.log(`${n} records`);
  console.log('| query | words | kept | left out | their sets as stored | Rice-coded | entropy |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const q of queries) {
    const whole = S.plan(q.q, ix.abbreviations());
    if (whole.words.length <= 8) continue;
    const entries = await Promise.all(whole.features.map((f) => ix.entry(f)));
    const kept = S.prune(whole, (i) => (entries[i] ? entries[i].df : null), n);
    let stored = 0, coded = 0, bound = 0, out = 0;
    whole.words.forEach((w, i) => {
      const e = entries[whole.holds[i][0]];
      if (kept.words.includes(w) || !e) return;
      out++;
      stored += e.m || e.n; // the set, or the whole posting list when it is not capped
      coded += rice(e.df);
      bound += (n * entropy(e.df / n)) / 8;
    });
    console.log(`| ${q.q.slice(0, 40)}… | ${whole.words.length} | ${kept.words.length} | ${out} | ${kb(stored)} KB | ${kb(coded)} KB | ${kb(bound)} KB |`);
  }
})();
