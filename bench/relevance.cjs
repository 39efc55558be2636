#!/usr/bin/env node
// Relevance of search on real questions: imports the National Public Service Portal's FAQ
// (a CSV that is never committed) into a temporary site, draws queries of five kinds from its
// records with a fixed seed, runs each through `hoidap search --json` and through the browser
// client (search.js under Node, tests/browser/run-queries.cjs), and prints recall@10 and MRR
// per kind for both, as a Markdown table.
//
//   node bench/relevance.cjs [FAQ_CSV]
//
// FAQ_CSV (or the environment variable HOIDAP_FAQ_CSV; default ../shared/data/dichvucong-faq.csv
// beside the repository). Without it the script says so and exits 0. Other settings:
//   HOIDAP_BIN           the hoidap binary (default target/release/hoidap if built, else
//                        target/debug/hoidap; build it first)
//   RELEVANCE_QUERIES    queries per kind (default 200)
//   RELEVANCE_SEED       the seed (default 14)
//   RELEVANCE_JSON=FILE  also write every query with its hits (ids) and both rankings to FILE
//   RELEVANCE_CLIENT     another search.js to measure (search-correct.js beside it)
//
// Kinds (issue 14): a record's whole title without diacritics; four of its rarest words
// without diacritics; a three-syllable fragment of its title without diacritics; a
// five-syllable phrase of its answer with diacritics; and the fragment kind corrupted as a
// reader would type it: Telex or VNI keystrokes with the input method off, two letters
// swapped, or a letter left out. A hit is any record that really contains the query: its
// syllables in a row, folded (with diacritics for the answer phrase; the uncorrupted fragment
// for the last kind), or for the rare words all four anywhere. A record's text is its title
// and the text of its question and answer as the page shows them (their HTML without tags),
// each part on its own. recall@10: share of queries with
// a hit in the first ten; MRR: mean of 1 / rank of the first hit (0 beyond ten).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const repo = path.resolve(__dirname, '..');
const csv = path.resolve(process.argv[2] || process.env.HOIDAP_FAQ_CSV ||
  path.join(repo, '..', 'shared', 'data', 'dichvucong-faq.csv'));
if (!fs.existsSync(csv)) {
  console.log(`relevance: skipped: no FAQ spreadsheet at ${csv} (give its path as an argument or in HOIDAP_FAQ_CSV)`);
  process.exit(0);
}
const bin = process.env.HOIDAP_BIN || [path.join(repo, 'target/release/hoidap'), path.join(repo, 'target/debug/hoidap')]
  .find((p) => fs.existsSync(p));
if (!bin || !fs.existsSync(bin)) {
  console.error('relevance: no hoidap binary: run `cargo build` first or set HOIDAP_BIN');
  process.exit(2);
}
const PER_KIND = Number(process.env.RELEVANCE_QUERIES || 200);
const SEED = Number(process.env.RELEVANCE_SEED || 14);
const searchJs = path.resolve(process.env.RELEVANCE_CLIENT || path.join(repo, 'themes/default/static/search.js'));
const S = require(searchJs);

function run(args, opts) {
  const r = spawnSync(bin, args, Object.assign({ encoding: 'utf8', maxBuffer: 1 << 26 }, opts));
  if (r.status !== 0) throw new Error(`hoidap ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

// mulberry32: a small seeded generator, so the queries are the same on every run.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- The site ----

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hoidap-relevance-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
const site = path.join(work, 'site');
run(['init', site]);
fs.rmSync(path.join(site, 'content/records'), { recursive: true, force: true });
// As README.md ("Importing a spreadsheet") imports it: one record per row.
run(['import', csv, '--root', site, '--map', 'question=cauHoi', '--map', 'answer=cauTraLoi',
  '--map', 'agency=boNganh', '--map', 'source=link', '--map', 'asker=phanLoai',
  '--set', 'asked=2025-05-28', '--set', 'answered=2025-05-28', '--set', 'topics=thu-tuc-hanh-chinh']);
run(['build', '--root', site]);
const records = JSON.parse(fs.readFileSync(path.join(site, 'public/data/records.json'), 'utf8')).records;

// ---- What each record holds, in search's own analysis ----

// The text of a part as its page shows it and search reads it: the HTML without its tags.
// (Not the Markdown source: the numbers of an ordered list, `1.`, are no text of the page,
// and search does not index them; a phrase drawn across one is in no record.)
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
function pageText(html) {
  return String(html || '').replace(/<[^>]*>/g, ' ').replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
    if (e[0] !== '#') return ENTITIES[e.toLowerCase()] || m;
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}
const docs = records.map((r) => {
  const parts = [r.title, r.question && pageText(r.question.html), r.answer && pageText(r.answer.html)]
    .map((t) => S.tokens(t || ''));
  return { id: r.id, title: parts[0], answer: parts[2], parts };
});
const postings = new Map(); // folded syllable -> Set of record indexes
docs.forEach((d, i) => d.parts.forEach((toks) => toks.forEach((t) => {
  if (!postings.has(t.folded)) postings.set(t.folded, new Set());
  postings.get(t.folded).add(i);
})));

function inRow(toks, want, key) {
  outer: for (let i = 0; i + want.length <= toks.length; i++) {
    for (let k = 0; k < want.length; k++) if (toks[i + k][key] !== want[k]) continue outer;
    return true;
  }
  return false;
}

// Indexes of the records holding the query's syllables in a row (key: 'folded' or 'exact'),
// or all of them anywhere (anywhere = true).
function holders(words, key, anywhere) {
  const folded = words.map((w) => S.tokens(w)[0].folded);
  let cands = null;
  for (const f of folded) {
    const set = postings.get(f) || new Set();
    cands = cands === null ? new Set(set) : new Set([...cands].filter((i) => set.has(i)));
  }
  if (anywhere) return cands;
  return new Set([...cands].filter((i) => docs[i].parts.some((toks) => inRow(toks, words, key))));
}

// ---- Corruptions a reader makes (kind 5) ----

const TONES = { '\u0301': ['s', '1'], '\u0300': ['f', '2'], '\u0309': ['r', '3'], '\u0303': ['x', '4'], '\u0323': ['j', '5'] };
// The keys that type `syllable` in Telex (vni = false) or VNI with the input method off.
function keystrokes(syllable, vni) {
  let out = '';
  let tone = '';
  for (const c of syllable.normalize('NFD')) {
    if (TONES[c]) tone = TONES[c][vni ? 1 : 0];
    else if (c === 'đ') out += vni ? 'd9' : 'dd';
    else if (c === '\u0302') out += vni ? '6' : out[out.length - 1];
    else if (c === '\u0306') out += vni ? '8' : 'w';
    else if (c === '\u031b') out += vni ? '7' : 'w';
    else out += c;
  }
  return out + tone;
}

function corrupt(toks, how, rand) {
  const words = toks.map((t) => t.folded);
  const long = words.map((w, i) => i).filter((i) => words[i].length >= 4 && /^[a-z]+$/.test(words[i]));
  if (how === 'telex' || how === 'vni') return toks.map((t) => keystrokes(t.exact, how === 'vni')).join(' ');
  if (long.length === 0) return null;
  const i = long[Math.floor(rand() * long.length)];
  const w = words[i];
  const at = 1 + Math.floor(rand() * (w.length - 2));
  words[i] = how === 'swap' ? w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2) : w.slice(0, at) + w.slice(at + 1);
  return words.join(' ');
}

// ---- The queries ----

const KINDS = ['whole title, no diacritics', 'four rare words, no diacritics', 'title fragment (3), no diacritics',
  'answer phrase (5), diacritics', 'typed wrong: Telex, VNI, swap, missing letter'];
const rand = rng(SEED);
const queries = [];
function pick(n) {
  const order = docs.map((d, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, n * 2);
}
const HOW = ['telex', 'vni', 'swap', 'missing'];
KINDS.forEach((kind, k) => {
  let made = 0;
  for (const i of pick(PER_KIND)) {
    if (made >= PER_KIND) break;
    const d = docs[i];
    const letters = (toks) => toks.filter((t) => /[a-z]/.test(t.folded));
    let q = null;
    let rel = null;
    if (k === 0 && d.title.length > 0) {
      q = d.title.map((t) => t.folded).join(' ');
      rel = holders(d.title.map((t) => t.folded), 'folded');
    } else if (k === 1) {
      const words = [...new Set(d.parts.flat().filter((t) => /^[a-z]{2,}$/.test(t.folded)).map((t) => t.folded))]
        .sort((a, b) => postings.get(a).size - postings.get(b).size || (a < b ? -1 : 1)).slice(0, 4);
      if (words.length === 4) {
        q = words.join(' ');
        rel = holders(words, 'folded', true);
      }
    } else if ((k === 2 || k === 4) && letters(d.title).length >= 3) {
      const at = Math.floor(rand() * (d.title.length - 2));
      const frag = d.title.slice(at, at + 3);
      rel = holders(frag.map((t) => t.folded), 'folded');
      q = k === 2 ? frag.map((t) => t.folded).join(' ') : corrupt(frag, HOW[made % 4], rand);
    } else if (k === 3 && d.answer.length >= 5) {
      const at = Math.floor(rand() * (d.answer.length - 4));
      const phrase = d.answer.slice(at, at + 5);
      q = phrase.map((t) => t.exact).join(' ');
      rel = holders(phrase.map((t) => t.exact), 'exact');
    }
    if (q === null || rel === null || rel.size === 0) continue;
    queries.push({ kind: k, q, source: d.id, relevant: new Set([...rel].map((j) => docs[j].id)) });
    made++;
  }
});

// ---- Both searches ----

const qfile = path.join(work, 'queries.json');
fs.writeFileSync(qfile, JSON.stringify(queries.map((x) => ({ q: x.q, limit: 10 }))));
const js = spawnSync('node', [path.join(repo, 'tests/browser/run-queries.cjs'), searchJs, path.join(site, 'public'), qfile],
  { encoding: 'utf8', maxBuffer: 1 << 28 });
if (js.status !== 0) throw new Error('run-queries.cjs failed:\n' + js.stderr);
const jsRows = js.stdout.trim().split('\n').map((l) => JSON.parse(l));
const cliRows = queries.map((x) => {
  const r = JSON.parse(run(['search', '--root', site, '--json', '--limit', '10', '--', x.q]));
  return { ids: r.hits.map((h) => h.id), corrected: r.corrected || null };
});

function score(ids, relevant) {
  const rank = ids.slice(0, 10).findIndex((id) => relevant.has(id));
  return rank < 0 ? [0, 0] : [1, 1 / (rank + 1)];
}

const f3 = (x) => x.toFixed(3);
console.log(`Relevance on ${records.length} records of ${path.basename(csv)}, ${PER_KIND} queries a kind (seed ${SEED})\n`);
console.log('| kind | queries | CLI recall@10 | CLI MRR | browser recall@10 | browser MRR | same top ten | corrected |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
const all = { n: 0, cr: 0, cm: 0, br: 0, bm: 0 };
KINDS.forEach((kind, k) => {
  const rows = queries.map((x, i) => [x, cliRows[i], jsRows[i]]).filter(([x]) => x.kind === k);
  if (rows.length === 0) return;
  let cr = 0, cm = 0, br = 0, bm = 0, same = 0, corrected = 0;
  for (const [x, c, b] of rows) {
    const [r1, m1] = score(c.ids, x.relevant);
    const [r2, m2] = score(b.ids, x.relevant);
    cr += r1; cm += m1; br += r2; bm += m2;
    same += JSON.stringify(c.ids) === JSON.stringify(b.ids) ? 1 : 0;
    corrected += c.corrected ? 1 : 0;
  }
  const n = rows.length;
  if (k < 4) Object.assign(all, { n: all.n + n, cr: all.cr + cr, cm: all.cm + cm, br: all.br + br, bm: all.bm + bm });
  console.log(`| ${kind} | ${n} | ${f3(cr / n)} | ${f3(cm / n)} | ${f3(br / n)} | ${f3(bm / n)} | ${same}/${n} | ${corrected}/${n} |`);
});
console.log(`| the four kinds of the issue | ${all.n} | ${f3(all.cr / all.n)} | ${f3(all.cm / all.n)} | ${f3(all.br / all.n)} | ${f3(all.bm / all.n)} | | |`);

if (process.env.RELEVANCE_JSON) {
  fs.writeFileSync(process.env.RELEVANCE_JSON, JSON.stringify(queries.map((x, i) => ({
    kind: KINDS[x.kind], q: x.q, source: x.source, relevant: [...x.relevant],
    cli: cliRows[i], browser: { ids: jsRows[i].ids, corrected: jsRows[i].corrected } })), null, 1));
}
