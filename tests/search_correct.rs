//! Forgiveness (`src/search/correct.rs`, `search-correct.js`): syllables that match nothing
//! are corrected, on the command line and in the browser client alike, and both say what was
//! searched instead. The browser client runs under Node (`tests/browser/run-queries.cjs`);
//! without `node` those tests are reported as ignored, with what they need, unless
//! `HOIDAP_REQUIRE_BROWSER=1`, which makes a missing `node` a failure (see `common::browser`).

mod common;

use common::browser::{self, Needs, Test};
use common::copy_example_site;
use hoidap::build;
use hoidap::publish::Output;
use hoidap::search::correct::Vocabulary;
use hoidap::search::scoring::Field;
use hoidap::search::{self, Query};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;
use unicode_normalization::UnicodeNormalization;

fn main() {
    browser::main(&[
        Test {
            name: "the_cli_corrects_telex_vni_and_typos_and_says_so",
            needs: Needs::Nothing,
            run: the_cli_corrects_telex_vni_and_typos_and_says_so,
        },
        Test {
            name: "the_published_vocabulary_is_the_indexs",
            needs: Needs::Nothing,
            run: the_published_vocabulary_is_the_indexs,
        },
        Test {
            name: "keystrokes_helper_types_what_the_decoder_reads",
            needs: Needs::Nothing,
            run: keystrokes_helper_types_what_the_decoder_reads,
        },
        Test {
            name: "the_browser_client_corrects_as_the_cli_does",
            needs: Needs::Node,
            run: the_browser_client_corrects_as_the_cli_does,
        },
        Test {
            name: "the_javascript_decoders_are_the_rusts",
            needs: Needs::Node,
            run: the_javascript_decoders_are_the_rusts,
        },
    ]);
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example site with both indexes written; returns its root and output folder.
fn example(dir: &Path) -> (PathBuf, PathBuf) {
    let root = dir.join("site");
    copy_example_site(&root);
    let site = build::load_site(&root).unwrap();
    let public = root.join("public");
    let out = Output::create(&public).unwrap();
    search::write_static(&site.archive, &out).unwrap();
    out.commit().unwrap();
    search::write_index(&site.archive, &search::index_dir(&root)).unwrap();
    (root, public)
}

#[derive(Debug, Deserialize)]
struct CliResult {
    total: usize,
    hits: Vec<CliHit>,
    corrected: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CliHit {
    id: String,
}

fn cli(root: &Path, args: &[&str]) -> String {
    let args: Vec<&str> = std::iter::once("search")
        .chain(args.iter().copied())
        .collect();
    String::from_utf8(common::hoidap_in(root, &args).stdout).unwrap()
}

fn cli_json(root: &Path, query: &str) -> CliResult {
    serde_json::from_str(&cli(root, &["--json", "--", query])).unwrap()
}

fn ids(r: &CliResult) -> Vec<&str> {
    r.hits.iter().map(|h| h.id.as_str()).collect()
}

fn the_cli_corrects_telex_vni_and_typos_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _) = example(dir.path());
    let cases = [
        ("thuees", "thuế"),
        ("thue61", "thuế"),
        ("giaays", "giấy"),
        ("giaasy", "giấy"),
        ("xaay dungwj", "xây dựng"),
        ("dnug", "dung"),
        ("giya", "giay"),
        ("\"nộp thuees\"", "\"nộp thuế\""),
        // `daat` decodes to `dât`, which no record writes: searched folded, it finds `đất`.
        ("nha daat", "nha dat"),
        ("nhaf ddaats", "nhà đất"),
    ];
    for (typed, meant) in cases {
        let got = cli_json(&root, typed);
        assert_eq!(got.corrected.as_deref(), Some(meant), "{typed}");
        let want = cli_json(&root, meant);
        assert!(want.corrected.is_none(), "{meant} needs no correction");
        assert!(got.total > 0, "{typed}: no hits");
        assert_eq!(
            (got.total, ids(&got)),
            (want.total, ids(&want)),
            "{typed} searches as {meant}"
        );
    }
    // Known words are searched as typed; nothing near is left alone.
    assert!(cli_json(&root, "thue").corrected.is_none());
    let nothing = cli_json(&root, "qzxvk");
    assert_eq!((nothing.total, nothing.corrected), (0, None));

    let plain = cli(&root, &["thuees", "giaasy"]);
    assert!(
        plain.starts_with("Results for thuế giấy"),
        "the plain output says what was searched: {plain}"
    );
}

fn the_published_vocabulary_is_the_indexs() {
    let dir = tempfile::tempdir().unwrap();
    let (root, public) = example(dir.path());
    let text = std::fs::read_to_string(public.join("search/vocab.txt")).unwrap();
    let vocab = Vocabulary::from_file(&text).unwrap();
    assert!(vocab.len() > 300, "{} syllables", vocab.len());
    let mut searcher = search::Searcher::open(&search::index_dir(&root)).unwrap();
    for word in ["thue", "giay", "xay", "dung", "nguoi"] {
        assert!(vocab.contains(word), "{word}");
        assert!(
            searcher.correct(word).unwrap().is_none(),
            "{word} is known to the index too"
        );
    }
    assert!(!vocab.contains("2018"), "numbers are not corrected");
    assert!(!vocab.contains("thuees"));
}

/// Keystrokes that type `syllable` in Telex (`telex`) or VNI, with the input method off:
/// the marks of each letter after it, the tone at the end.
fn keystrokes(syllable: &str, telex: bool) -> String {
    let mut out = String::new();
    let mut tone = None;
    for c in syllable.nfd() {
        let keys = match (c, telex) {
            ('đ', true) => "dd",
            ('đ', false) => "d9",
            ('\u{302}', true) => {
                let base = out.pop().unwrap();
                out.push(base);
                out.push(base);
                continue;
            }
            ('\u{302}', false) => "6",
            ('\u{306}', true) | ('\u{31b}', true) => "w",
            ('\u{306}', false) => "8",
            ('\u{31b}', false) => "7",
            ('\u{301}' | '\u{300}' | '\u{309}' | '\u{303}' | '\u{323}', _) => {
                tone = Some(c);
                continue;
            }
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(keys);
    }
    if let Some(t) = tone {
        let keys = ["\u{301}", "\u{300}", "\u{309}", "\u{303}", "\u{323}"];
        let i = keys.iter().position(|k| k.starts_with(t)).unwrap();
        out.push(if telex { b"sfrxj"[i] } else { b"12345"[i] } as char);
    }
    out
}

fn keystrokes_helper_types_what_the_decoder_reads() {
    assert_eq!(keystrokes("thuế", true), "thuees");
    assert_eq!(keystrokes("đường", true), "dduwowngf");
    assert_eq!(keystrokes("đường", false), "d9u7o7ng2");
    assert_eq!(keystrokes("giấy", false), "gia6y1");
}

#[derive(Debug, Deserialize)]
struct JsResult {
    total: usize,
    ids: Vec<String>,
    corrected: Option<String>,
    /// Whether the client downloaded the vocabulary.
    vocab: bool,
}

/// Corrupted title fragments of the example's records: one syllable typed in Telex or VNI
/// keystrokes, or with two letters swapped. Both searches must correct them alike.
fn the_browser_client_corrects_as_the_cli_does() {
    let dir = tempfile::tempdir().unwrap();
    let (root, public) = example(dir.path());
    let site = build::load_site(&root).unwrap();
    let mut queries: Vec<String> = [
        "thuees",
        "thue61",
        "giaays",
        "giaasy",
        "xaay dungwj",
        "dnug",
        "giya",
        "nop thuees",
        "nộp thuế",
        "giay phep xay dung",
        "thue61 nha daat",
    ]
    .map(String::from)
    .to_vec();
    for (n, r) in site.archive.records.iter().enumerate().take(60) {
        let words: Vec<&str> = r.title.split_whitespace().take(3).collect();
        let Some((at, word)) = words
            .iter()
            .enumerate()
            .find(|(_, w)| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
        else {
            continue;
        };
        let lower = word.to_lowercase();
        let corrupt = match n % 3 {
            0 => keystrokes(&lower, true),
            1 => keystrokes(&lower, false),
            _ => {
                let mut c: Vec<char> = lower.nfd().filter(|c| c.is_ascii()).collect();
                // A word of three letters or more may keep fewer in ASCII (`đâu` → `au`).
                if c.len() < 3 {
                    continue;
                }
                c.swap(1, 2);
                c.into_iter().collect()
            }
        };
        let mut q = words.clone();
        q[at] = &corrupt;
        queries.push(q.join(" "));
    }
    assert!(queries.len() >= 50, "{} queries", queries.len());
    // Corrected queries with filters too: (query, agency, year).
    let filtered = [
        ("xaay dungwj", Some("so-xay-dung"), None),
        ("thuees", None, Some(2018)),
        ("giaasy phesp", Some("so-xay-dung"), Some(2020)),
    ];
    let mut list: Vec<_> = queries
        .iter()
        .map(|q| serde_json::json!({ "q": q }))
        .collect();
    let mut filters = vec![(None, None); queries.len()];
    for (q, agency, year) in filtered {
        list.push(
            serde_json::json!({ "q": q, "agency": agency, "year": year.map(|y| y.to_string()) }),
        );
        queries.push(q.to_string());
        filters.push((agency, year));
    }
    let js: Vec<JsResult> = common::run_queries_js(&public, &list, dir.path());
    assert_eq!(js.len(), queries.len());
    let mut searcher = search::Searcher::open(&search::index_dir(&root)).unwrap();
    let (mut same, mut corrected) = (0, 0);
    for ((q, j), (agency, year)) in queries.iter().zip(&js).zip(&filters) {
        let res = searcher
            .query(&Query {
                text: q.clone(),
                agency: agency.map(str::to_string),
                year: *year,
                limit: 10,
                ..Query::default()
            })
            .unwrap();
        let cli_ids: Vec<&str> = res.hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(j.corrected, res.corrected, "{q}: the correction differs");
        let all_known = hoidap::search::analysis::Analyzer::default()
            .tokens(q)
            .iter()
            .all(|t| {
                let known = searcher.term_postings(Field::Body, &t.folded).unwrap();
                known.is_some()
            });
        assert_eq!(
            j.vocab, !all_known,
            "{q}: the vocabulary is downloaded only for an unknown syllable"
        );
        assert_eq!(
            j.ids.first().map(String::as_str),
            cli_ids.first().copied(),
            "{q}: first hits differ"
        );
        if j.ids == cli_ids && j.total == res.total {
            same += 1;
        }
        corrected += usize::from(res.corrected.is_some());
    }
    eprintln!(
        "{same}/{} same top ten, {corrected} corrected",
        queries.len()
    );
    assert!(same * 100 >= queries.len() * 95);
    assert!(
        corrected * 10 >= queries.len() * 8,
        "most corrupted queries are corrected"
    );
}

/// The decoders and the choice of syllable, step by step: `search-correct.js` under Node
/// against `correct.rs`, over every syllable of the example typed in Telex and in VNI, with
/// letters swapped, dropped and doubled, and over odd keystrokes.
fn the_javascript_decoders_are_the_rusts() {
    use hoidap::search::analysis::Analyzer;
    use hoidap::search::correct::{correct_syllable, telex, vni};
    let dir = tempfile::tempdir().unwrap();
    let (root, public) = example(dir.path());
    let vocab_path = public.join("search/vocab.txt");
    let vocab = Vocabulary::from_file(&std::fs::read_to_string(&vocab_path).unwrap()).unwrap();
    let site = build::load_site(&root).unwrap();
    let mut an = Analyzer::default();
    let mut syllables = std::collections::BTreeSet::new();
    for r in &site.archive.records {
        for t in an.tokens(&format!("{} {}", r.title, r.question.plain)) {
            syllables.insert(t.exact);
        }
    }
    let mut typed = std::collections::BTreeSet::new();
    for s in &syllables {
        let (t, v) = (keystrokes(s, true), keystrokes(s, false));
        let plain: String = s.nfd().filter(char::is_ascii).collect();
        for w in [t, v, plain] {
            let chars: Vec<char> = w.chars().collect();
            for i in 0..chars.len() {
                let mut c = chars.clone();
                if i + 1 < c.len() {
                    c.swap(i, i + 1);
                    typed.insert(c.iter().collect::<String>());
                }
                let mut d = chars.clone();
                d.remove(i);
                typed.insert(d.into_iter().collect::<String>());
                let mut e = chars.clone();
                e.insert(i, chars[i]);
                typed.insert(e.into_iter().collect::<String>());
            }
            typed.insert(w);
        }
    }
    for odd in [
        "", "w", "ww", "dd", "ddd", "ss", "aas", "asa", "zz", "uow", "uwow", "quaw", "gif", "giw",
        "x9", "d9", "a0", "99", "7", "thue6666", "nguoiwfs", "hoawcj", "khuyeen", "khuyur",
    ] {
        typed.insert(odd.to_string());
    }
    let typed: Vec<String> = typed.into_iter().collect();
    assert!(typed.len() > 5_000, "{} inputs", typed.len());
    let input = dir.path().join("typed.json");
    std::fs::write(&input, serde_json::to_vec(&typed).unwrap()).unwrap();
    let script = r#"
        const fs = require('fs');
        const [js, searchJs, typedPath, vocabPath] = process.argv.slice(1);
        const C = require(js);
        const S = require(searchJs);
        const vocab = C.parseVocabulary(fs.readFileSync(vocabPath, 'utf8'));
        const fold = (s) => S.tokens(s).map((t) => t.folded).join(' ');
        const out = JSON.parse(fs.readFileSync(typedPath, 'utf8')).map((w) => {
          const t = S.tokens(w)[0];
          return [C.telex(w), C.vni(w), t ? C.correctSyllable(t.exact, t.folded, vocab, fold) : null];
        });
        process.stdout.write(JSON.stringify(out));
    "#;
    let out = common::stdout_of(
        Command::new("node")
            .arg("-e")
            .arg(script)
            .arg(repo().join("themes/default/static/search-correct.js"))
            .arg(repo().join("themes/default/static/search.js"))
            .arg(&input)
            .arg(&vocab_path),
    );
    let js: Vec<(Option<String>, Option<String>, Option<String>)> =
        serde_json::from_slice(&out).unwrap();
    assert_eq!(js.len(), typed.len());
    let mut decoded = 0;
    for (w, j) in typed.iter().zip(&js) {
        let chosen = an
            .tokens(w)
            .first()
            .and_then(|t| correct_syllable(&mut an, &t.exact, &t.folded, &vocab));
        let rust = (telex(w), vni(w), chosen);
        assert_eq!(&rust, j, "{w:?}: Rust, then JavaScript");
        decoded += usize::from(rust.0.is_some() || rust.1.is_some());
    }
    eprintln!("{} inputs, {decoded} decoded", typed.len());
}
