/* hoidap search: forgiveness. A query syllable that matches nothing in the archive is
 * rewritten before the query is planned: Telex or VNI keystrokes typed with the input method
 * off are decoded (thuees, thue61 -> thuế), else the nearest syllable of the archive, one
 * edit away, is taken (dnug -> dung). Mirrors src/search/correct.rs step for step; the parity
 * test (tests/search_parity.rs) holds the two together. search.js calls it, and downloads the
 * vocabulary (search/vocab.txt) only when a syllable is unknown. */
(function (root) {
  'use strict';

  var VOCAB_HEADER = 'hoidap-vocab 1';
  var MIN_TYPO_LEN = 3;

  function inVocabulary(folded) {
    return /^[a-z]+$/.test(folded);
  }

  // search/vocab.txt -> Map(folded syllable -> records)
  function parseVocabulary(text) {
    var lines = String(text).split('\n');
    if (lines[0] !== VOCAB_HEADER) throw new Error('vocab.txt: line 1: expected ' + VOCAB_HEADER);
    var terms = new Map();
    var prev = '';
    for (var i = 1; i < lines.length; i++) {
      var line = lines[i];
      if (line === '') continue;
      var m = /^([0-9])([a-z]+) ([0-9]+)$/.exec(line);
      if (!m || Number(m[1]) > prev.length) throw new Error('vocab.txt: line ' + (i + 1) + ' is not a vocabulary entry');
      var term = prev.slice(0, Number(m[1])) + m[2];
      terms.set(term, Number(m[3]));
      prev = term;
    }
    return terms;
  }

  // Edits, best first (correct.rs: Edit).
  var SWAP = 0, ADDED = 1, CHANGED = 2, DROPPED = 3;

  // The edit that turns typed into word, if exactly one does; -1 otherwise.
  function oneEdit(typed, word) {
    var p = 0;
    while (p < typed.length && p < word.length && typed[p] === word[p]) p++;
    var a = typed.slice(p), b = word.slice(p);
    if (a.length === 0 && b.length === 0) return -1;
    if (a.length === b.length) {
      if (a.slice(1) === b.slice(1)) return CHANGED;
      if (a.length >= 2 && a[0] === b[1] && a[1] === b[0] && a.slice(2) === b.slice(2)) return SWAP;
      return -1;
    }
    if (b.length === a.length + 1) return a === b.slice(1) ? ADDED : -1;
    if (a.length === b.length + 1) return a.slice(1) === b ? DROPPED : -1;
    return -1;
  }

  // The syllable of the vocabulary nearest to sources: edit kind, then records, then alphabet.
  function nearest(vocab, sources) {
    var best = null;
    vocab.forEach(function (n, term) {
      var edit = -1;
      sources.forEach(function (s) {
        var e = oneEdit(s, term);
        if (e >= 0 && (edit < 0 || e < edit)) edit = e;
      });
      if (edit < 0) return;
      if (best === null || edit < best.edit || (edit === best.edit && (n > best.n ||
          (n === best.n && term < best.term)))) {
        best = { edit: edit, n: n, term: term };
      }
    });
    return best ? best.term : null;
  }

  var VOWELS = 'aăâeêioôơuưy';
  function isVowel(c) { return c !== undefined && VOWELS.indexOf(c) >= 0; }

  var SAC = '\u0301', HUYEN = '\u0300', HOI = '\u0309', NGA = '\u0303', NANG = '\u0323';
  var TONE_KEYS = {};
  TONE_KEYS[SAC] = 's'; TONE_KEYS[HUYEN] = 'f'; TONE_KEYS[HOI] = 'r'; TONE_KEYS[NGA] = 'x'; TONE_KEYS[NANG] = 'j';

  function Keys() {
    this.letters = [];
    this.tone = null;
    this.changed = false;
  }

  Keys.prototype.nucleus = function () {
    var l = this.letters;
    var end = -1;
    for (var i = l.length - 1; i >= 0; i--) if (isVowel(l[i])) { end = i + 1; break; }
    if (end < 0) return null;
    var start = 0;
    for (i = end - 1; i >= 0; i--) if (!isVowel(l[i])) { start = i + 1; break; }
    return [start, end];
  };

  Keys.prototype.circumflex = function (key) {
    var n = this.nucleus();
    if (!n) return false;
    var marked = key === 'a' ? 'â' : key === 'e' ? 'ê' : 'ô';
    for (var i = n[1] - 1; i >= n[0]; i--) {
      if (this.letters[i] === key) {
        this.letters[i] = marked;
        this.changed = true;
        return true;
      }
    }
    return false;
  };

  Keys.prototype.hook = function (horn, breve) {
    var n = this.nucleus();
    if (!n) return false;
    var s = n[0], e = n[1], l = this.letters;
    if (s > 0 && l[s - 1] === 'q' && e - s > 1) s += 1;
    var nuc = l.slice(s, e).join('');
    function at(c) { var p = nuc.indexOf(c); return p < 0 ? -1 : s + p; }
    var done = false;
    if (horn) {
      var uo = nuc.indexOf('uo');
      if (uo >= 0) {
        l[s + uo] = 'ư';
        l[s + uo + 1] = 'ơ';
        done = true;
      } else if (at('u') >= 0) {
        l[at('u')] = 'ư';
        done = true;
      } else if (at('o') >= 0 && !(breve && nuc.indexOf('oa') >= 0)) {
        l[at('o')] = 'ơ';
        done = true;
      }
    }
    if (!done && breve && at('a') >= 0) {
      l[at('a')] = 'ă';
      done = true;
    }
    if (done) this.changed = true;
    return done;
  };

  Keys.prototype.hasVowel = function () {
    return this.letters.some(isVowel);
  };

  Keys.prototype.setTone = function (tone) {
    if (!this.hasVowel() || this.tone === tone) return false;
    this.tone = tone;
    this.changed = true;
    return true;
  };

  Keys.prototype.finish = function () {
    return this.changed ? syllable(this.letters, this.tone) : null;
  };

  function telex(typed) {
    if (!/^[a-z]*$/.test(typed)) return null;
    var k = new Keys();
    for (var c of typed) {
      var used = false;
      if (c === 'a' || c === 'e' || c === 'o') used = k.circumflex(c);
      else if (c === 'w') {
        if (k.hasVowel()) used = k.hook(true, true);
        else { k.letters.push('ư'); k.changed = true; used = true; }
      } else if (c === 'd' && k.letters.length === 1 && k.letters[0] === 'd') {
        k.letters[0] = 'đ';
        k.changed = true;
        used = true;
      } else if (k.hasVowel() && 'sfrxj'.indexOf(c) >= 0) {
        used = k.setTone({ s: SAC, f: HUYEN, r: HOI, x: NGA, j: NANG }[c]);
      } else if (c === 'z' && k.hasVowel()) {
        k.tone = null;
        k.changed = true;
        used = true;
      }
      if (!used) {
        if ('fjwz'.indexOf(c) >= 0 || (k.tone !== null && TONE_KEYS[k.tone] === c)) return null;
        k.letters.push(c);
      }
    }
    return k.finish();
  }

  function vni(typed) {
    if (!/^[a-z0-9]*$/.test(typed) || !/[0-9]/.test(typed)) return null;
    var k = new Keys();
    var tones = { 1: SAC, 2: HUYEN, 3: HOI, 4: NGA, 5: NANG };
    for (var c of typed) {
      var used = false;
      if (tones[c]) used = k.setTone(tones[c]);
      else if (c === '6') {
        var n = k.nucleus();
        if (!n) return null;
        var key = null;
        for (var i = n[1] - 1; i >= n[0]; i--) {
          var l = k.letters[i];
          if (l === 'a' || l === 'e' || l === 'o') { key = l; break; }
        }
        used = key !== null && k.circumflex(key);
      } else if (c === '7') used = k.hook(true, false);
      else if (c === '8') used = k.hook(false, true);
      else if (c === '9') {
        used = k.letters[0] === 'd';
        if (used) { k.letters[0] = 'đ'; k.changed = true; }
      } else if (c >= 'a' && c <= 'z') {
        k.letters.push(c);
        used = true;
      }
      if (!used) return null;
    }
    return k.finish();
  }

  var ONSETS = ['ngh', 'ng', 'nh', 'ch', 'gh', 'gi', 'kh', 'ph', 'qu', 'th', 'tr', 'b', 'c', 'd', 'đ',
    'g', 'h', 'k', 'l', 'm', 'n', 'p', 'q', 'r', 's', 't', 'v', 'x'];
  var NUCLEI = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y', 'ai', 'ao', 'au', 'ay', 'âu',
    'ây', 'eo', 'êu', 'ia', 'iê', 'iu', 'oa', 'oă', 'oe', 'oi', 'ôi', 'ơi', 'oo', 'ua', 'uâ', 'uê', 'ui',
    'uô', 'uơ', 'uy', 'ưa', 'ưi', 'ươ', 'ưu', 'yê', 'iêu', 'oai', 'oay', 'oeo', 'uây', 'uôi', 'uyê',
    'uya', 'uyu', 'ươi', 'ươu', 'yêu'];
  var FINALS = ['', 'c', 'ch', 'm', 'n', 'ng', 'nh', 'p', 't'];

  // correct.rs: syllable. The letters with the tone on the right vowel, NFC, or null.
  function syllable(letters, tone) {
    var word = letters.join('');
    var onset = 0;
    for (var i = 0; i < ONSETS.length; i++) {
      if (word.startsWith(ONSETS[i])) { onset = ONSETS[i].length; break; }
    }
    if (onset === 2 && (word.startsWith('gi') || word.startsWith('qu')) && !isVowel(letters[2])) onset = 1;
    var end = onset;
    while (end < letters.length && isVowel(letters[end])) end++;
    var nuc = letters.slice(onset, end);
    var fin = letters.slice(end).join('');
    if (NUCLEI.indexOf(nuc.join('')) < 0 || FINALS.indexOf(fin) < 0) return null;
    var at;
    var marked = function (c) { return 'ăâêôơư'.indexOf(c) >= 0; };
    if (nuc.indexOf('ơ') >= 0) at = nuc.indexOf('ơ');
    else {
      at = -1;
      for (i = nuc.length - 1; i >= 0; i--) if (marked(nuc[i])) { at = i; break; }
      if (at < 0) {
        if (nuc.length === 1) at = 0;
        else if (fin !== '') at = nuc.length - 1;
        else if (nuc.length === 3) at = 1;
        else at = 0;
      }
    }
    var out = '';
    letters.forEach(function (c, j) {
      out += c;
      if (j === onset + at && tone) out += tone;
    });
    return out.normalize('NFC');
  }

  // correct.rs: correct_syllable. fold(text) is the folded form of one syllable.
  function correctSyllable(exact, folded, vocab, fold) {
    if (!/^[a-z0-9]+$/.test(folded)) return null;
    var decoded = exact === folded ? [telex(folded), vni(folded)].filter(function (d) { return d !== null; }) : [];
    for (var i = 0; i < decoded.length; i++) if (vocab.has(fold(decoded[i]))) return decoded[i];
    var sources = [];
    if (inVocabulary(folded)) sources.push(folded);
    decoded.forEach(function (d) {
      var f = fold(d);
      if (sources.indexOf(f) < 0) sources.push(f);
    });
    sources = sources.filter(function (s) { return s.length >= MIN_TYPO_LEN; });
    return nearest(vocab, sources);
  }

  // correct.rs: rewrite. tokensNfc(text) -> [{exact, folded, from, to}] (search.js's analysis),
  // known(folded) -> Promise<bool>, written(exact, folded) -> Promise<bool> (whether a record
  // writes the syllable with these diacritics; if not, it is searched folded), vocabulary() ->
  // Promise<Map>. Resolves to {text, corrections: [{typed, instead}]} or null when nothing
  // is changed.
  function rewrite(query, tokensNfc, known, written, vocabulary) {
    var text = String(query).normalize('NFC');
    var toks = tokensNfc(text);
    var distinct = [];
    toks.forEach(function (t) { if (distinct.indexOf(t.folded) < 0) distinct.push(t.folded); });
    var fold = function (s) {
      var t = tokensNfc(s.normalize('NFC'));
      return t.length ? t.map(function (x) { return x.folded; }).join(' ') : '';
    };
    return Promise.all(distinct.map(known)).then(function (isKnown) {
      var unknown = distinct.filter(function (f, i) { return !isKnown[i]; });
      if (unknown.length === 0) return null;
      return vocabulary().then(function (vocab) {
        var corrections = [];
        var typed = [];
        toks.forEach(function (t) {
          if (unknown.indexOf(t.folded) < 0 || typed.indexOf(t.exact) >= 0) return;
          typed.push(t.exact);
          var instead = correctSyllable(t.exact, t.folded, vocab, fold);
          if (instead !== null) corrections.push({ typed: t.exact, instead: instead });
        });
        return Promise.all(corrections.map(function (c) {
          var f = fold(c.instead);
          return f === c.instead ? true : written(c.instead, f);
        })).then(function (ok) {
          corrections.forEach(function (c, i) { if (!ok[i]) c.instead = fold(c.instead); });
          if (corrections.length === 0) return null;
          var out = '';
          var at = 0;
          toks.forEach(function (t) {
            var c = corrections.filter(function (x) { return x.typed === t.exact; })[0];
            if (unknown.indexOf(t.folded) < 0 || !c) return;
            out += text.slice(at, t.from) + c.instead;
            at = t.to;
          });
          return { text: out + text.slice(at), corrections: corrections };
        });
      });
    });
  }

  var api = {
    telex: telex,
    vni: vni,
    oneEdit: oneEdit,
    parseVocabulary: parseVocabulary,
    correctSyllable: correctSyllable,
    rewrite: rewrite
  };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  root.HoidapCorrect = api;
})(typeof window !== 'undefined' ? window : globalThis);
