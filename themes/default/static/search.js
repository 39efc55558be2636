/* hoidap static search client. Hand-written, no framework, no build step.
 * The analysis and the ranking mirror src/search/ (analysis.rs, scoring.rs) exactly;
 * tests/search_parity.rs holds the two together. Layout of the index: docs/search.md. */
(function (root) {
  'use strict';

  // ---- Analysis: NFC, SimpleTokenizer, LowerCaser, AsciiFoldingFilter (tantivy) ----

  // Latin letters that tantivy folds otherwise than "decompose and drop the marks", and the
  // superscript and subscript digits and letters (`m²`).
  // Checked against tantivy by a unit test in src/search/analysis.rs.
  var FOLD = {
  'æ':'ae', 'ð':'d', 'ø':'o', 'þ':'th', 'ß':'ss', 'đ':'d', 'ħ':'h', 'ı':'i', 'ĳ':'ij', 'ĸ':'q',
  'ŀ':'l', 'ł':'l', 'ŉ':'n', 'ŋ':'n', 'œ':'oe', 'ŧ':'t', 'ſ':'s', 'ƀ':'b', 'ɓ':'b', 'ƃ':'b',
  'ɔ':'o', 'ƈ':'c', 'ɖ':'d', 'ɗ':'d', 'ƌ':'d', 'ǝ':'e', 'ə':'a', 'ɛ':'e', 'ƒ':'f', 'ɠ':'g',
  'ƕ':'hv', 'ɨ':'i', 'ƙ':'k', 'ƚ':'l', 'ɯ':'m', 'ɲ':'n', 'ƞ':'n', 'ɵ':'o', 'ƥ':'p', 'ʀ':'R',
  'ƫ':'t', 'ƭ':'t', 'ʈ':'t', 'ʋ':'v', 'ƴ':'y', 'ƶ':'z', 'ƿ':'w', 'ǆ':'dz', 'ǉ':'lj', 'ǌ':'nj',
  'ǣ':'ae', 'ǥ':'G', 'ǧ':'G', 'ǯ':'ǯ', 'ǳ':'dz', 'ǽ':'ae', 'ǿ':'o', 'ȝ':'z', 'ȡ':'d', 'ȣ':'ou',
  'ȥ':'z', 'ȴ':'l', 'ȵ':'n', 'ȶ':'t', 'ȷ':'j', 'ȸ':'db', 'ȹ':'qp', 'ⱥ':'a', 'ȼ':'c', 'ⱦ':'t',
  'ȿ':'s', 'ɀ':'z', 'ʉ':'u', 'ʌ':'v', 'ɇ':'e', 'ɉ':'j', 'ɋ':'q', 'ɍ':'r', 'ɏ':'y', 'ẚ':'a', 'ẛ':'f',
  'ẜ':'s', 'ẝ':'s', 'ỻ':'ll', 'ỿ':'y',
  '¹':'1', '²':'2', '³':'3', '⁰':'0', 'ⁱ':'i', '⁴':'4', '⁵':'5', '⁶':'6', '⁷':'7', '⁸':'8', '⁹':'9',
  'ⁿ':'n', '₀':'0', '₁':'1', '₂':'2', '₃':'3', '₄':'4', '₅':'5', '₆':'6', '₇':'7', '₈':'8', '₉':'9',
  'ₐ':'a', 'ₑ':'e', 'ₒ':'o', 'ₓ':'x', 'ₔ':'a'
  };
  var TOKEN = /[\p{Alphabetic}\p{N}]+/gu;
  var MARKS = /\p{M}/gu;

  function isLatin(cp) {
    return (cp >= 0xc0 && cp < 0x250) || (cp >= 0x1e00 && cp < 0x1f00);
  }

  function foldChar(c) {
    if (c.charCodeAt(0) < 0x80) return c;
    var f = FOLD[c];
    if (f !== undefined) return f;
    if (isLatin(c.codePointAt(0))) return c.normalize('NFD').replace(MARKS, '');
    return c;
  }

  // Tokens of NFC text: {exact, folded, from, to} with offsets in UTF-16 units.
  function tokensNfc(text) {
    var out = [];
    var m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      var exact = '';
      var folded = '';
      for (var c of m[0]) {
        var lower = c.toLowerCase();
        exact += lower;
        for (var l of lower) folded += foldChar(l);
      }
      out.push({ exact: exact, folded: folded, from: m.index, to: m.index + m[0].length });
    }
    return out;
  }

  function tokens(text) {
    return tokensNfc(String(text).normalize('NFC'));
  }

  function bigrams(toks) {
    var out = [];
    for (var i = 0; i + 1 < toks.length; i++) out.push(toks[i].folded + ' ' + toks[i + 1].folded);
    return out;
  }

  // ---- Abbreviations (abbrev.rs), folded: [{short, long: ['giay phep lai xe', ...]}] ----

  function Abbreviations(list) {
    this.list = list || [];
    this.byFirst = new Map();
    var self = this;
    this.list.forEach(function (a, i) {
      a.long.forEach(function (l) {
        var syl = l.split(' ');
        if (!self.byFirst.has(syl[0])) self.byFirst.set(syl[0], []);
        self.byFirst.get(syl[0]).push([syl, i]);
      });
    });
  }

  // f(start, length, short) for every long form in the folded syllables, by position.
  Abbreviations.prototype.matches = function (tokens, f) {
    for (var i = 0; i < tokens.length; i++) {
      var cands = this.byFirst.get(tokens[i]);
      if (!cands) continue;
      for (var c = 0; c < cands.length; c++) {
        var syl = cands[c][0], n = syl.length, ok = i + n <= tokens.length;
        for (var k = 0; ok && k < n; k++) ok = syl[k] === tokens[i + k];
        if (ok) f(i, n, this.list[cands[c][1]].short);
      }
    }
  };

  // ---- The query plan (scoring.rs: plan): the one place a query becomes what is searched ----

  var BODY = 0, EXACT = 1, BIGRAM = 2;
  var BOOST = [2, 1, 2];
  var MAX_QUERY_TOKENS = 64;

  function plan(query, abbr) {
    abbr = abbr || new Abbreviations([]);
    var p = { features: [], required: [], words: [], holds: [], pairs: [], pairSets: true, marks: [] };
    var segments = [];
    var budget = MAX_QUERY_TOKENS;
    String(query).split('"').forEach(function (seg, i) {
      var toks = tokens(seg).slice(0, budget);
      budget -= toks.length;
      segments.push({ phrase: i % 2 === 1, toks: toks });
    });
    function add(field, term, key) {
      for (var i = 0; i < p.features.length; i++) {
        if (p.features[i].field === field && p.features[i].term === term) return i;
      }
      p.features.push({ field: field, term: term, key: key });
      return p.features.length - 1;
    }
    function require(i) {
      if (p.required.indexOf(i) < 0) p.required.push(i);
    }
    function mark(s) {
      if (p.marks.indexOf(s) < 0) p.marks.push(s);
    }
    // Long forms found in the query: [segment, first syllable, syllables, short form's feature].
    var spans = [];
    segments.forEach(function (s, si) {
      s.toks.forEach(function (t) {
        var body = add(BODY, t.folded, t.folded);
        if (t.exact !== t.folded) add(EXACT, t.exact, t.folded);
        if (p.words.indexOf(t.folded) < 0) {
          p.words.push(t.folded);
          p.holds.push([body]);
          mark(t.folded);
        }
        abbr.list.forEach(function (a) {
          if (a.short === t.folded) a.long.forEach(mark);
        });
      });
      var folded = s.toks.map(function (t) { return t.folded; });
      var found = [];
      abbr.matches(folded, function (i, n, short) { found.push([i, n, short]); });
      found.forEach(function (m) {
        var f = add(BODY, m[2], m[2]);
        mark(m[2]);
        for (var k = m[0]; k < m[0] + m[1]; k++) {
          var w = p.words.indexOf(folded[k]);
          if (w >= 0 && p.holds[w].indexOf(f) < 0) p.holds[w].push(f);
        }
        spans.push([si, m[0], m[1], f]);
      });
    });
    segments.forEach(function (s, si) {
      bigrams(s.toks).forEach(function (g, k) {
        var i = add(BIGRAM, g, g);
        if (s.phrase) require(i);
        var pair = -1;
        for (var x = 0; x < p.pairs.length; x++) if (p.pairs[x][0] === i) pair = x;
        if (pair < 0) { p.pairs.push([i]); pair = p.pairs.length - 1; }
        // Syllables k and k + 1 inside a long form: a record writing the short form holds the pair.
        spans.forEach(function (sp) {
          if (sp[0] === si && sp[1] <= k && k + 1 < sp[1] + sp[2] && p.pairs[pair].indexOf(sp[3]) < 0) {
            p.pairs[pair].push(sp[3]);
          }
        });
      });
      if (s.phrase && s.toks.length === 1) require(add(BODY, s.toks[0].folded, s.toks[0].folded));
    });
    // scoring.rs: Plan::pair_sets. A long query counts pairs from their ranking lists.
    p.pairSets = p.words.length <= LONG_QUERY_WORDS;
    return p;
  }

  // scoring.rs: prune. A long query leaves out its very common words (see there).
  var LONG_QUERY_WORDS = 8, COMMON_SHARE = 8;

  function prune(p, df, n) {
    if (p.words.length <= LONG_QUERY_WORDS) return p;
    function isCommon(i) {
      var d = df(i);
      return d !== null && d !== undefined && d * COMMON_SHARE > n;
    }
    var common = p.holds.map(function (h) { return isCommon(h[0]); });
    // At least LONG_QUERY_WORDS words are kept: the rarest common ones make up the number.
    var rare = common.filter(function (c) { return !c; }).length;
    if (rare < LONG_QUERY_WORDS) {
      var order = [];
      common.forEach(function (c, w) { if (c) order.push(w); });
      function dfOf(w) { var d = df(p.holds[w][0]); return d === null || d === undefined ? 0 : d; }
      order.sort(function (a, b) { return dfOf(a) - dfOf(b) || a - b; });
      order.slice(0, LONG_QUERY_WORDS - rare).forEach(function (w) { common[w] = false; });
    }
    if (!common.some(Boolean)) return p;
    function commonWord(word) {
      var w = p.words.indexOf(word);
      return w >= 0 && common[w];
    }
    var kept = [];
    p.features.forEach(function (f, i) {
      var keep = p.required.indexOf(i) >= 0 ||
        (f.field === BIGRAM ? !isCommon(i) : !commonWord(f.key));
      if (keep) kept.push(i);
    });
    function at(i) {
      var k = kept.indexOf(i);
      return k < 0 ? null : k;
    }
    function known(x) { return x !== null; }
    var out = {
      features: kept.map(function (i) { return p.features[i]; }),
      required: p.required.map(at).filter(known),
      words: [], holds: [], pairs: [], pairSets: p.pairSets, marks: p.marks
    };
    p.words.forEach(function (w, i) {
      if (common[i]) return;
      out.words.push(w);
      out.holds.push(p.holds[i].map(at).filter(known));
    });
    // A pair stays while its bigram does.
    p.pairs.forEach(function (fs) {
      if (at(fs[0]) !== null) out.pairs.push(fs.map(at).filter(known));
    });
    return out;
  }

  // ---- Binary layouts (encode.rs) ----

  var utf8 = new TextEncoder();
  var utf8d = new TextDecoder();

  function varint(bytes, at) {
    var v = 0, mul = 1, b;
    do {
      if (at.i >= bytes.length) throw new Error('truncated index data');
      b = bytes[at.i++];
      v += (b & 0x7f) * mul;
      mul *= 128;
    } while (b >= 0x80);
    return v;
  }

  function decodePostings(bytes) {
    var at = { i: 0 };
    var n = varint(bytes, at);
    var ords = new Array(n);
    var last = 0;
    for (var k = 0; k < n; k++) {
      last = k === 0 ? varint(bytes, at) : last + varint(bytes, at);
      ords[k] = last;
    }
    var out = new Array(n);
    for (k = 0; k < n; k++) out[k] = [ords[k], bytes[at.i + k]];
    return out;
  }

  function decodeSet(bytes) {
    var at = { i: 1 };
    var out = [];
    var k, count, next = 0;
    if (bytes[0] === 0) {
      count = varint(bytes, at);
      for (k = 0; k < count; k++) {
        next += varint(bytes, at);
        out.push(next);
        next += 1;
      }
    } else if (bytes[0] === 1) {
      count = varint(bytes, at);
      for (k = 0; k < count; k++) {
        var start = next + varint(bytes, at);
        var len = varint(bytes, at);
        for (var o = start; o < start + len; o++) out.push(o);
        next = start + len;
      }
    } else if (bytes[0] === 2) {
      var n = varint(bytes, at);
      for (k = 0; k < n; k++) if (bytes[at.i + (k >> 3)] & (1 << (k & 7))) out.push(k);
    }
    return out;
  }

  function shardOf(key, shards) {
    var h = 0x811c9dc5;
    var b = utf8.encode(key);
    for (var i = 0; i < b.length; i++) {
      h ^= b[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % Math.max(shards, 1);
  }

  function idfDisplay(score) {
    return Math.round((score / 255000) * 1000) / 1000;
  }

  // ---- The index: files fetched on demand and kept ----

  // fetcher(path, [from, to) or null) -> Promise<Uint8Array>
  function Index(fetcher) {
    this.fetcher = fetcher;
    this.cache = new Map();
    this.manifest = null;
  }

  Index.prototype.load = function (path, range) {
    var key = range ? path + '#' + range[0] + '-' + range[1] : path;
    if (!this.cache.has(key)) this.cache.set(key, this.fetcher(path, range || null));
    return this.cache.get(key);
  };

  Index.prototype.open = function () {
    var self = this;
    if (!this.manifest) {
      this.manifest = this.load('index.json').then(function (b) {
        return JSON.parse(utf8d.decode(b));
      });
    }
    return this.manifest.then(function (m) {
      self.m = m;
      return m;
    });
  };

  Index.prototype.shard = function (s) {
    var self = this;
    var key = 'shard:' + s;
    if (!this.cache.has(key)) {
      this.cache.set(key, this.load('d/' + s + '.bin').then(function (bytes) {
        return parseShard(bytes, self.m.inline);
      }));
    }
    return this.cache.get(key);
  };

  function parseShard(bytes, inline) {
    var at = { i: 0 };
    var count = varint(bytes, at);
    var map = new Map();
    for (var k = 0; k < count; k++) {
      var len = varint(bytes, at);
      var term = utf8d.decode(bytes.subarray(at.i, at.i + len));
      at.i += len;
      var field = bytes[at.i++];
      var df = varint(bytes, at);
      var idf = varint(bytes, at);
      var n = varint(bytes, at);
      var entry = { df: df, idf: idf, n: n };
      if (n <= inline) {
        entry.bytes = bytes.subarray(at.i, at.i + n);
        at.i += n;
      } else {
        entry.offset = varint(bytes, at);
      }
      // A capped term: the set of every record holding it, in the pack.
      entry.m = varint(bytes, at);
      if (entry.m > 0) entry.mOffset = varint(bytes, at);
      map.set(field + ':' + term, entry);
    }
    return map;
  }

  // A feature's dictionary entry (df, idf, where its lists are), or undefined.
  Index.prototype.entry = function (f) {
    return this.shard(shardOf(f.key, this.m.shards)).then(function (map) {
      return map.get(f.field + ':' + f.term);
    });
  };

  // A feature's {df, idf, postings, members}, or null when the archive lacks the term.
  // `members` (every record holding a capped term) is fetched only when `withMembers`.
  Index.prototype.term = function (f, withMembers) {
    var self = this;
    var s = shardOf(f.key, this.m.shards);
    return this.shard(s).then(function (map) {
      var e = map.get(f.field + ':' + f.term);
      if (!e) return null;
      var pack = 'p/' + (s % self.m.packs) + '.bin';
      var postings = e.bytes ? Promise.resolve(decodePostings(e.bytes))
        : self.load(pack, [e.offset, e.offset + e.n]).then(decodePostings);
      var members = e.m > 0 && withMembers
        ? self.load(pack, [e.mOffset, e.mOffset + e.m]).then(decodeSet) : Promise.resolve(null);
      return Promise.all([postings, members]).then(function (r) {
        return { df: e.df, idf: e.idf, postings: r[0], members: r[1] };
      });
    });
  };

  Index.prototype.facet = function (kind, id) {
    var key = 'facet:' + kind + ':' + id;
    if (!this.cache.has(key)) {
      // An unknown value (no such file) matches nothing, as on the command line.
      this.cache.set(key, this.load('f/' + kind + '/' + encodeURIComponent(id) + '.bin')
        .then(function (b) { return new Set(decodeSet(b)); }, function () { return new Set(); }));
    }
    return this.cache.get(key);
  };

  // A record's title, agency, date, status and excerpt: a fixed-size slot, one range read.
  Index.prototype.doc = function (ord) {
    var m = this.m;
    var file = 't/' + Math.floor(ord / m.per_file) + '.bin';
    var at = (ord % m.per_file) * m.slot;
    return this.load(file, [at, at + m.slot]).then(function (b) {
      return JSON.parse(utf8d.decode(b));
    });
  };

  var FACETS = [['agency', 'agency'], ['topic', 'topic'], ['year', 'year'], ['status', 'status']];

  Index.prototype.abbreviations = function () {
    if (!this.abbr) this.abbr = new Abbreviations(this.m.abbreviations || []);
    return this.abbr;
  };

  // Runs a query: {q, agency, topic, year, status, limit}
  //   -> {total, allWords, hits:[{ord, score, doc}], marks}
  Index.prototype.search = function (opts) {
    var self = this;
    var p;
    var corrected = null;
    return this.open().then(function () {
      // Correction is the rewriting step in front of the one query analysis (plan).
      return self.correct(opts.q || '');
    }).then(function (c) {
      corrected = c;
      var whole = plan(c ? c.text : opts.q || '', self.abbreviations());
      // The dictionary entries first: a long query leaves out its very common terms
      // before their lists are fetched.
      return Promise.all(whole.features.map(function (f) { return self.entry(f); }))
        .then(function (entries) {
          p = prune(whole, function (i) { return entries[i] ? entries[i].df : null; }, self.m.records);
        });
    }).then(function () {
      // Members are needed for the features that say which words (and, in a short query,
      // pairs) a record holds, and for required ones; not for exact terms (ranking only).
      var needed = new Set(p.required);
      p.holds.concat(p.pairSets ? p.pairs : []).forEach(function (fs) {
        fs.forEach(function (i) { needed.add(i); });
      });
      var filters = FACETS.filter(function (f) { return opts[f[0]]; }).map(function (f) {
        return self.facet(f[1], String(opts[f[0]]));
      });
      return Promise.all([
        Promise.all(p.features.map(function (f, i) { return self.term(f, needed.has(i)); })),
        Promise.all(filters)
      ]);
    }).then(function (r) {
      var ranked = rank(p, r[0], r[1], self.m.records);
      var top = ranked.hits.slice(0, opts.limit || 10);
      return Promise.all(top.map(function (h) {
        return self.doc(h[0]).then(function (doc) {
          return { ord: h[0], score: h[1], doc: doc };
        });
      })).then(function (docs) {
        return {
          total: ranked.hits.length, allWords: ranked.allWords, hits: docs, words: p.marks,
          corrected: corrected && corrected.text
        };
      });
    });
  };

  // ---- Forgiveness (search-correct.js, correct.rs): unknown syllables corrected ----

  // search-correct.js is loaded only when a syllable is unknown, like the vocabulary: from
  // beside this script in the browser, with require under Node.
  var scriptBase = typeof document !== 'undefined' && document.currentScript
    ? document.currentScript.src.replace(/[^/]*$/, '') : null;
  var corrector = null;
  function loadCorrector() {
    if (corrector) return corrector;
    corrector = new Promise(function (resolve) {
      if (root.HoidapCorrect) return resolve(root.HoidapCorrect);
      if (typeof document === 'undefined') {
        return resolve(typeof require === 'function' ? require('./search-correct.js') : null);
      }
      var app = document.getElementById('search-app');
      var base = scriptBase || (app ? (app.getAttribute('data-base') || '/') + 'static/' : null);
      if (!base) return resolve(null);
      var el = document.createElement('script');
      el.src = base + 'search-correct.js';
      el.onload = function () { resolve(root.HoidapCorrect || null); };
      el.onerror = function () { resolve(null); };
      document.head.appendChild(el);
    });
    return corrector;
  }

  // Whether the archive has the folded syllable: its dictionary shard only.
  Index.prototype.known = function (folded) {
    var key = BODY + ':' + folded;
    return this.shard(shardOf(folded, this.m.shards)).then(function (map) { return map.has(key); });
  };

  // Whether a record writes the syllable with these diacritics: the same shard as its folded form.
  Index.prototype.written = function (exact, folded) {
    var key = EXACT + ':' + exact;
    return this.shard(shardOf(folded, this.m.shards)).then(function (map) { return map.has(key); });
  };

  // The vocabulary (search/vocab.txt), downloaded once and only when a syllable is unknown.
  Index.prototype.vocabulary = function (Correct) {
    if (!this.cache.has('vocab')) {
      this.cache.set('vocab', this.load('vocab.txt').then(function (b) {
        return Correct.parseVocabulary(utf8d.decode(b));
      }));
    }
    return this.cache.get('vocab');
  };

  // -> Promise<{text, corrections} or null>: the query as searched instead, if corrected.
  Index.prototype.correct = function (q) {
    var self = this;
    var known = function (f) { return self.known(f); };
    return Promise.all(tokens(q).map(function (t) { return known(t.folded); })).then(function (k) {
      if (k.every(Boolean)) return null;
      return loadCorrector().then(function (Correct) {
        if (!Correct) return null;
        return Correct.rewrite(q, tokensNfc, known, function (exact, folded) { return self.written(exact, folded); },
          function () { return self.vocabulary(Correct); });
      });
    });
  };

  function eachMember(tp, f) {
    if (tp.members) for (var i = 0; i < tp.members.length; i++) f(tp.members[i]);
    else for (i = 0; i < tp.postings.length; i++) f(tp.postings[i][0]);
  }

  // For each record, how many of the groups (words or pairs: lists of features) it holds,
  // from the features' sets, or with `sets` false from their ranking lists only.
  function countHeld(groups, terms, n, touched, sets) {
    var count = new Uint16Array(n);
    var last = new Int32Array(n).fill(-1);
    groups.forEach(function (fs, g) {
      fs.forEach(function (i) {
        if (!terms[i]) return;
        var each = function (ord) {
          if (last[ord] === g) return;
          if (last[ord] < 0 && touched) touched.push(ord);
          last[ord] = g;
          count[ord]++;
        };
        if (sets) eachMember(terms[i], each);
        else terms[i].postings.forEach(function (post) { each(post[0]); });
      });
    });
    return count;
  }

  // scoring.rs: rank. Integer arithmetic, so both sides agree to the last unit. A hit holds
  // at least one word; those holding every word come first, then those holding more of the
  // query's adjacent pairs, then the score orders.
  function rank(p, terms, filters, n) {
    var scores = new Float64Array(n);
    p.features.forEach(function (f, i) {
      var tp = terms[i];
      if (!tp) return;
      var w = BOOST[f.field] * tp.idf;
      tp.postings.forEach(function (post) { scores[post[0]] += w * post[1]; });
    });
    var touched = [];
    var count = countHeld(p.holds, terms, n, touched, true);
    var pairs = countHeld(p.pairs, terms, n, null, p.pairSets);
    var required = p.required.map(function (i) {
      var set = new Set();
      if (terms[i]) eachMember(terms[i], function (o) { set.add(o); });
      return set;
    });
    var words = p.holds.length;
    var hits = [];
    touched.forEach(function (ord) {
      for (var k = 0; k < filters.length; k++) if (!filters[k].has(ord)) return;
      for (k = 0; k < required.length; k++) if (!required[k].has(ord)) return;
      hits.push([ord, scores[ord], count[ord] === words ? 1 : 0, pairs[ord]]);
    });
    hits.sort(function (a, b) { return b[2] - a[2] || b[3] - a[3] || b[1] - a[1] || a[0] - b[0]; });
    var all = 0;
    while (all < hits.length && hits[all][2] === 1) all++;
    return { hits: hits.map(function (h) { return [h[0], h[1]]; }), allWords: all };
  }

  // ---- Snippets (snippet.rs) ----

  var SNIPPET_CHARS = 180, LEAD_CHARS = 30;

  // snippet.rs: marked. Tokens whose folded form is a mark, and every syllable of a run that
  // spells a mark of several syllables (an abbreviation's long form, marked only as a whole).
  function marked(toks, marks) {
    var out = toks.map(function () { return false; });
    marks.forEach(function (m) {
      var syl = m.split(' ');
      for (var i = 0; i + syl.length <= toks.length; i++) {
        var k = 0;
        while (k < syl.length && toks[i + k].folded === syl[k]) k++;
        if (k === syl.length) for (k = 0; k < syl.length; k++) out[i + k] = true;
      }
    });
    return out;
  }

  // -> [{text, mark}] pieces of the snippet; marks are the query's (plan's marks).
  function snippet(text, marks) {
    text = String(text).normalize('NFC');
    var toks = tokensNfc(text);
    var isMarked = marked(toks, marks);
    var chars = Array.from(text);
    var starts = [];
    var pos = 0;
    chars.forEach(function (c) { starts.push(pos); pos += c.length; });
    function charAt(unit) {
      var lo = 0, hi = starts.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (starts[mid] < unit) lo = mid + 1; else hi = mid;
      }
      return lo;
    }
    var hits = [];
    toks.forEach(function (t, i) { if (isMarked[i]) hits.push(i); });
    var best = -1, bestN = -1;
    hits.forEach(function (i, k) {
      var start = charAt(toks[i].from);
      var seen = [];
      for (var j = k; j < hits.length; j++) {
        if (charAt(toks[hits[j]].to) > start + SNIPPET_CHARS - LEAD_CHARS) break;
        if (seen.indexOf(toks[hits[j]].folded) < 0) seen.push(toks[hits[j]].folded);
      }
      if (seen.length > bestN) { best = i; bestN = seen.length; }
    });
    var first = best < 0 ? 0 : Math.max(0, charAt(toks[best].from) - LEAD_CHARS);
    var startChar = first;
    if (first > 0) {
      for (var t = 0; t < toks.length; t++) {
        if (charAt(toks[t].from) >= first) { startChar = charAt(toks[t].from); break; }
      }
    }
    var endChar = Math.min(startChar + SNIPPET_CHARS, chars.length);
    var from = startChar < starts.length ? starts[startChar] : text.length;
    var to = endChar < starts.length ? starts[endChar] : text.length;
    if (to < text.length) {
      for (t = toks.length - 1; t >= 0; t--) {
        if (toks[t].to <= to && toks[t].from >= from) { to = toks[t].to; break; }
      }
    }
    var pieces = [];
    if (from > 0) pieces.push({ text: '…', mark: false });
    var at = from;
    toks.forEach(function (tk, i) {
      if (tk.from >= from && tk.to <= to && isMarked[i]) {
        if (tk.from > at) pieces.push({ text: text.slice(at, tk.from), mark: false });
        pieces.push({ text: text.slice(tk.from, tk.to), mark: true });
        at = tk.to;
      }
    });
    if (to > at) pieces.push({ text: text.slice(at, to), mark: false });
    if (to < text.length) pieces.push({ text: '…', mark: false });
    pieces.forEach(function (pc) { pc.text = pc.text.replace(/[\n\r\t]/g, ' '); });
    return pieces;
  }

  // ---- Fetching in the browser: range requests into the packs ----

  function browserFetcher(baseUrl) {
    var whole = new Map();
    function get(path) {
      return fetch(baseUrl + path).then(function (r) {
        if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
        return r.arrayBuffer();
      }).then(function (b) { return new Uint8Array(b); });
    }
    return function (path, range) {
      if (!range) return get(path);
      if (whole.has(path)) return whole.get(path).then(function (b) { return b.subarray(range[0], range[1]); });
      var headers = { Range: 'bytes=' + range[0] + '-' + (range[1] - 1) };
      return fetch(baseUrl + path, { headers: headers }).then(function (r) {
        if (r.status === 206) return r.arrayBuffer().then(function (b) { return new Uint8Array(b); });
        if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
        // A host without range requests sent the whole file: keep it for the next reads.
        var all = r.arrayBuffer().then(function (b) { return new Uint8Array(b); });
        whole.set(path, all);
        return all.then(function (b) { return b.subarray(range[0], range[1]); });
      });
    };
  }

  var api = {
    tokens: tokens,
    plan: plan,
    prune: prune,
    Abbreviations: Abbreviations,
    rank: rank,
    snippet: snippet,
    shardOf: shardOf,
    decodePostings: decodePostings,
    decodeSet: decodeSet,
    displayScore: idfDisplay,
    Index: Index,
    browserFetcher: browserFetcher
  };

  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  root.HoidapSearch = api;

  // ---- The search page ----

  if (typeof document === 'undefined') return;

  function start() {
    var app = document.getElementById('search-app');
    if (!app) return;
    var form = app.querySelector('form');
    var input = form.querySelector('input[name=q]');
    var status = document.getElementById('search-status');
    var list = document.getElementById('search-results');
    var base = app.getAttribute('data-base') || '/';
    var index = new Index(browserFetcher(app.getAttribute('data-index') || base + 'search/'));
    var t = function (name, fallback) { return app.getAttribute('data-t-' + name) || fallback; };
    var selects = {};
    FACETS.forEach(function (f) { selects[f[0]] = form.querySelector('select[name=' + f[0] + ']'); });
    var run = 0;
    var timer = null;
    var PAGE = 20;
    var limit = PAGE;
    var more = document.getElementById('search-more');

    function params() {
      var o = { q: input.value.trim() };
      FACETS.forEach(function (f) { if (selects[f[0]] && selects[f[0]].value) o[f[0]] = selects[f[0]].value; });
      return o;
    }

    function toUrl(o) {
      var sp = new URLSearchParams();
      ['q', 'agency', 'topic', 'year', 'status'].forEach(function (k) { if (o[k]) sp.set(k, o[k]); });
      var s = sp.toString();
      return location.pathname + (s ? '?' + s : '');
    }

    function fromUrl() {
      var sp = new URLSearchParams(location.search);
      input.value = sp.get('q') || '';
      FACETS.forEach(function (f) {
        var sel = selects[f[0]];
        if (sel) sel.value = sp.get(f[0]) || '';
        if (sel && sel.value !== (sp.get(f[0]) || '')) sel.value = '';
      });
    }

    // "Results for …" when syllables matched nothing and were corrected (search-correct.js).
    var note = document.getElementById('search-corrected');
    function showCorrected(corrected) {
      if (!note) return;
      note.textContent = '';
      note.hidden = !corrected;
      if (!corrected) return;
      var parts = t('corrected', 'Kết quả cho {q}').split('{q}');
      note.appendChild(document.createTextNode(parts[0]));
      var strong = document.createElement('strong');
      strong.textContent = corrected;
      note.appendChild(strong);
      note.appendChild(document.createTextNode(parts.slice(1).join('')));
    }

    // The active filters, shown in the folded filters' summary.
    var active = document.getElementById('search-active');
    function showActive() {
      if (!active) return;
      var names = [];
      FACETS.forEach(function (f) {
        var sel = selects[f[0]];
        if (sel && sel.value && sel.selectedIndex >= 0) {
          names.push(sel.options[sel.selectedIndex].textContent.replace(/\s*\(\d+\)\s*$/, ''));
        }
      });
      active.textContent = names.length ? ': ' + names.join(', ') : '';
    }

    function render(res, o) {
      showCorrected(res.corrected);
      list.textContent = '';
      res.hits.forEach(function (h) {
        var d = h.doc;
        var li = document.createElement('li');
        li.className = 'search-hit';
        li.setAttribute('data-record-id', d.id);
        var h2 = document.createElement('h2');
        var a = document.createElement('a');
        a.href = base + 'records/' + encodeURIComponent(d.id) + '/';
        a.textContent = d.title;
        h2.appendChild(a);
        li.appendChild(h2);
        var meta = document.createElement('p');
        meta.className = 'search-meta';
        var parts = [];
        if (d.agency) parts.push(d.agency);
        // An unknown date is an empty one in the index.
        parts.push(d.date || t('date-unknown', '?'));
        parts.push(t('status-' + d.status, d.status));
        meta.textContent = parts.join(' · ');
        li.appendChild(meta);
        var p = document.createElement('p');
        p.className = 'search-snippet';
        snippet(d.text, res.words).forEach(function (pc) {
          if (pc.mark) {
            var mk = document.createElement('mark');
            mk.textContent = pc.text;
            p.appendChild(mk);
          } else {
            p.appendChild(document.createTextNode(pc.text));
          }
        });
        li.appendChild(p);
        list.appendChild(li);
      });
      var some = res.total - res.allWords;
      var parts = [];
      if (res.allWords > 0) parts.push(t('all', '{n} đủ các từ').replace('{n}', String(res.allWords)));
      if (some > 0) parts.push(t('some', '{n} thiếu từ').replace('{n}', String(some)));
      var msg = res.total === 0 ? t('none', 'Không tìm thấy kết quả nào.') : parts.join(' · ');
      // One line on a phone: with both counts, the "more" button says there is more.
      if (res.total > res.hits.length && parts.length < 2) msg += ' ' + t('shown', '(đang hiện {k})').replace('{k}', String(res.hits.length));
      status.textContent = msg;
      if (more) more.hidden = res.total <= res.hits.length;
      app.setAttribute('data-state', 'done');
    }

    function search() {
      var o = params();
      var mine = ++run;
      showActive();
      if (!o.q) {
        showCorrected(null);
        list.textContent = '';
        status.textContent = '';
        if (more) more.hidden = true;
        app.setAttribute('data-state', 'idle');
        return;
      }
      app.setAttribute('data-state', 'busy');
      o.limit = limit;
      index.search(o).then(function (res) {
        if (mine === run) render(res, o);
      }).catch(function (e) {
        if (mine !== run) return;
        status.textContent = t('error', 'Không tải được chỉ mục tìm kiếm.');
        app.setAttribute('data-state', 'error');
        if (root.console) root.console.error(e);
      });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      limit = PAGE;
      timer = setTimeout(function () {
        history.replaceState(null, '', toUrl(params()));
        search();
      }, 120);
    });
    FACETS.forEach(function (f) {
      if (!selects[f[0]]) return;
      selects[f[0]].addEventListener('change', function () {
        limit = PAGE;
        history.pushState(null, '', toUrl(params()));
        search();
      });
    });
    if (more) {
      more.addEventListener('click', function () {
        limit += PAGE;
        search();
      });
    }
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      var url = toUrl(params());
      if (url !== location.pathname + location.search) history.pushState(null, '', url);
      search();
    });
    root.addEventListener('popstate', function () {
      limit = PAGE;
      fromUrl();
      search();
    });

    app.setAttribute('data-state', 'loading');
    index.open().then(function () {
      fromUrl();
      search();
    }).catch(function (e) {
      status.textContent = t('error', 'Không tải được chỉ mục tìm kiếm.');
      app.setAttribute('data-state', 'error');
      if (root.console) root.console.error(e);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})(typeof window !== 'undefined' ? window : globalThis);
