//! `hoidap search`: the archive's search from the command line, over a tantivy index that it
//! writes itself when the index is missing, stale or unreadable. Ranks exactly as the website
//! does.

use super::report::{self, Format};
use super::{SiteArgs, exit};
use hoidap::config::SiteConfig;
use hoidap::model::Status;
use hoidap::search::{self, Query, Results};
use hoidap::{Error, build};
use serde::Serialize;
use std::io::{IsTerminal, Write};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The words to look for, with or without diacritics; "quoted words" form a phrase.
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub site: SiteArgs,
    /// Only records answered by this agency (its id).
    #[arg(long)]
    pub agency: Option<String>,
    /// Only records on this topic (its id).
    #[arg(long)]
    pub topic: Option<String>,
    /// Only records asked in this year.
    #[arg(long)]
    pub year: Option<i16>,
    /// Only records with this status: answered, pending, forwarded or declined.
    #[arg(long)]
    pub status: Option<String>,
    /// How many results to show.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Print JSON: {"total": N, "all_words": M, "match": "all"|"some"|"none",
    /// "hits": [{"id", "title", "url", "score", "snippet"}]}, and "corrected": the query
    /// searched instead when some of its words matched nothing.
    #[arg(long)]
    pub json: bool,
    /// Rebuild the index even when it looks fresh.
    #[arg(long)]
    pub reindex: bool,
}

#[derive(Serialize)]
struct JsonHit<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    score: f64,
    /// HTML: the text escaped, matches in `<mark>`.
    snippet: String,
}

#[derive(Serialize)]
struct JsonResults<'a> {
    /// Records holding at least one word of the query.
    total: usize,
    /// Of those, the records holding every word (listed first).
    all_words: usize,
    /// "all" when some records hold every word, "some" when none does, "none" without hits.
    #[serde(rename = "match")]
    matched: &'static str,
    hits: Vec<JsonHit<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    corrected: Option<&'a str>,
}

pub fn run(args: Args) -> u8 {
    let root = &args.site.root;
    if let Some(s) = &args.status
        && Status::parse(s).is_none()
    {
        eprintln!("error: unknown status {s:?}: use answered, pending, forwarded or declined");
        return exit::FAILURE;
    }
    let config = match SiteConfig::load(root) {
        Ok(c) => c,
        Err(problems) => {
            report::print(&problems, root, Format::Human);
            return exit::CONTENT;
        }
    };
    if (args.reindex || !search::index_is_fresh(root))
        && let Some(code) = reindex(root)
    {
        return code;
    }
    let query = Query {
        text: args.query.join(" "),
        agency: args.agency.clone(),
        topic: args.topic.clone(),
        year: args.year,
        status: args.status.clone(),
        limit: args.limit,
    };
    let dir = search::index_dir(root);
    // An index that cannot be read (half-written, damaged, from another version) is written
    // again from the content, once.
    let results = match search::query(&dir, &query) {
        Err(e) if !args.reindex => {
            eprintln!("the search index cannot be read ({e}); writing it again");
            if let Some(code) = reindex(root) {
                return code;
            }
            search::query(&dir, &query)
        }
        other => other,
    };
    match results {
        Ok(results) => {
            if args.json {
                print_json(&results, &config)
            } else {
                print_plain(&results, &config);
                exit::OK
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::FAILURE
        }
    }
}

/// Builds the index from the content; `Some(exit code)` when that fails.
fn reindex(root: &std::path::Path) -> Option<u8> {
    eprintln!("indexing the content for search…");
    let site = match build::load_site(root) {
        Ok(site) => site,
        Err(Error::Content(problems)) => {
            report::print(&problems, root, Format::Human);
            return Some(exit::CONTENT);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return Some(exit::FAILURE);
        }
    };
    match search::write_index(&site.archive, &search::index_dir(root)) {
        Ok(()) => None,
        Err(e) => {
            eprintln!("error: {e}");
            Some(exit::FAILURE)
        }
    }
}

fn print_json(results: &Results, config: &SiteConfig) -> u8 {
    let out = JsonResults {
        total: results.total,
        all_words: results.all_words,
        matched: match (results.total, results.all_words) {
            (0, _) => "none",
            (_, 0) => "some",
            _ => "all",
        },
        hits: results
            .hits
            .iter()
            .map(|h| JsonHit {
                id: &h.id,
                title: &h.title,
                url: config.absolute(&h.path),
                score: h.score,
                snippet: h.snippet.to_html(),
            })
            .collect(),
        corrected: results.corrected.as_deref(),
    };
    match serde_json::to_string(&out) {
        Ok(s) => {
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout().lock(), "{s}");
            exit::OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::FAILURE
        }
    }
}

fn print_plain(results: &Results, config: &SiteConfig) {
    let styled = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (bold, mark, dim, reset) = if styled {
        ("\x1b[1m", "\x1b[1;33m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let mut out = String::new();
    if let Some(corrected) = &results.corrected {
        out += &format!("Results for {bold}{corrected}{reset} (some words matched nothing)\n\n");
    }
    for (i, h) in results.hits.iter().enumerate() {
        out += &format!("{:>3}. {bold}{}{reset}  [{}]\n", i + 1, h.title, h.id);
        out += &format!(
            "     {dim}{}  score {:.3}{reset}\n",
            config.absolute(&h.path),
            h.score
        );
        let snippet = if styled {
            h.snippet.render(str::to_string, mark, reset)
        } else {
            h.snippet.render(str::to_string, "*", "*")
        };
        out += &format!("     {snippet}\n\n");
    }
    out += &count_line(results);
    out.push('\n');
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
}

/// "3 results hold all the words, 120 more hold some; the first 10 shown".
fn count_line(r: &Results) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let (all, some) = (r.all_words, r.total - r.all_words);
    let mut s = match (all, some) {
        (0, 0) => return "no results".into(),
        (0, n) => format!("{n} result{} hold some of the words, none all", plural(n)),
        (n, 0) => format!("{n} result{} hold all the words", plural(n)),
        (n, m) => format!(
            "{n} result{} hold all the words, {m} more hold some",
            plural(n)
        ),
    };
    if r.total > r.hits.len() {
        s += &format!("; the first {} shown", r.hits.len());
    }
    s
}
