// Runs the static search client (themes/default/static/search.js) under Node over a built
// site's search/ folder, reading files from disk as a web server would serve them (range
// reads included), and prints one JSON line per query.
//
//   node run-queries.cjs SEARCH_JS SITE_PUBLIC_DIR QUERIES_JSON
//
// QUERIES_JSON: [{"q": "...", "agency"?, "topic"?, "year"?, "status"?, "limit"?}, ...]
// Output per query: {"total", "all_words", "ids", "scores", "bytes", "files"} where bytes and files count
// what a cold browser cache would download for that query alone (the client script included).
'use strict';
const fs = require('fs');
const path = require('path');

const [jsPath, siteDir, queriesPath] = process.argv.slice(2);
if (!queriesPath) {
  console.error('usage: node run-queries.cjs SEARCH_JS SITE_PUBLIC_DIR QUERIES_JSON');
  process.exit(2);
}
const S = require(path.resolve(jsPath));
const jsBytes = fs.statSync(jsPath).size;
const searchDir = path.join(siteDir, 'search');
const queries = JSON.parse(fs.readFileSync(queriesPath, 'utf8'));

function diskFetcher(tally) {
  return function (rel, range) {
    const file = path.join(searchDir, rel);
    return fs.promises.readFile(file).then((buf) => {
      const bytes = range ? buf.subarray(range[0], range[1]) : buf;
      tally.bytes += bytes.length;
      tally.files += 1;
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    });
  };
}

async function main() {
  const lines = [];
  for (const q of queries) {
    // A fresh index per query: a cold cache.
    const tally = { bytes: jsBytes, files: 1 };
    const index = new S.Index(diskFetcher(tally));
    const res = await index.search(Object.assign({ limit: 10 }, q));
    lines.push(JSON.stringify({
      total: res.total,
      all_words: res.allWords,
      ids: res.hits.map((h) => h.doc.id),
      scores: res.hits.map((h) => S.displayScore(h.score)),
      bytes: tally.bytes,
      files: tally.files,
    }));
  }
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
