// Runs the static search client (themes/default/static/search.js) under Node over a built
// site's search/ folder, reading files from disk as a web server would serve them (range
// reads included), and prints one JSON line per query.
//
//   node run-queries.cjs SEARCH_JS SITE_PUBLIC_DIR QUERIES_JSON
//
// QUERIES_JSON: [{"q": "...", "agency"?, "topic"?, "year"?, "status"?, "limit"?}, ...]
// Output per query: {"total", "all_words", "ids", "corrected", "scores", "bytes", "files",
// "vocab"} where "corrected" is the query searched instead (or null), bytes and files count
// what a cold browser cache would download for that query alone (the client script included,
// and search-correct.js when the vocabulary is needed), and vocab says whether that included
// the vocabulary (search/vocab.txt).
'use strict';
const fs = require('fs');
const path = require('path');

const [jsPath, siteDir, queriesPath] = process.argv.slice(2);
if (!queriesPath) {
  console.error('usage: node run-queries.cjs SEARCH_JS SITE_PUBLIC_DIR QUERIES_JSON');
  process.exit(2);
}
const S = require(path.resolve(jsPath));
// search.js; and search-correct.js beside it, which the page loads with the vocabulary, only
// when a syllable is unknown.
const jsBytes = fs.statSync(jsPath).size;
const correctBytes = fs.statSync(path.join(path.dirname(jsPath), 'search-correct.js')).size;
const searchDir = path.join(siteDir, 'search');
const queries = JSON.parse(fs.readFileSync(queriesPath, 'utf8'));

function diskFetcher(tally) {
  return function (rel, range) {
    const file = path.join(searchDir, rel);
    return fs.promises.readFile(file).then((buf) => {
      const bytes = range ? buf.subarray(range[0], range[1]) : buf;
      tally.bytes += bytes.length;
      tally.files += 1;
      if (rel === 'vocab.txt') {
        tally.vocab = true;
        tally.bytes += correctBytes;
        tally.files += 1;
      }
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    });
  };
}

async function main() {
  const lines = [];
  for (const q of queries) {
    // A fresh index per query: a cold cache.
    const tally = { bytes: jsBytes, files: 1, vocab: false };
    const index = new S.Index(diskFetcher(tally));
    const res = await index.search(Object.assign({ limit: 10 }, q));
    lines.push(JSON.stringify({
      total: res.total,
      all_words: res.allWords,
      ids: res.hits.map((h) => h.doc.id),
      corrected: res.corrected || null,
      scores: res.hits.map((h) => S.displayScore(h.score)),
      bytes: tally.bytes,
      files: tally.files,
      vocab: tally.vocab,
    }));
  }
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
