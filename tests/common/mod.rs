//! Helpers shared by the integration tests: fixture sites in temporary folders, builds,
//! and reading the output.
#![allow(dead_code)]

pub mod browser;

use hoidap::build::{self, BuildOptions, BuildReport};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `hoidap COMMAND --root ROOT ARGS...` (`args[0]` is the command; `--root` comes before
/// the rest, so that `--` in `args` still ends the options), fails the test on a non-zero
/// exit with what hoidap printed, and returns its output.
pub fn hoidap_in(root: &Path, args: &[&str]) -> std::process::Output {
    let (command, rest) = args.split_first().expect("a hoidap command");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hoidap"))
        .arg(command)
        .arg("--root")
        .arg(root)
        .args(rest)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "hoidap {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs a program (Node, mostly), fails the test on a non-zero exit with what it printed on
/// stderr, and returns its stdout.
pub fn stdout_of(command: &mut std::process::Command) -> Vec<u8> {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{:?} failed: {}",
        command.get_program(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs queries through the static search client under Node (`tests/browser/run-queries.cjs`)
/// over a built site's `public` folder: one result per query, as the client returns it.
pub fn run_queries_js<T: serde::de::DeserializeOwned>(
    public: &Path,
    queries: &impl serde::Serialize,
    work: &Path,
) -> Vec<T> {
    let qfile = work.join("queries.json");
    std::fs::write(&qfile, serde_json::to_vec(queries).unwrap()).unwrap();
    let out = stdout_of(
        std::process::Command::new("node")
            .arg(repo_root().join("tests/browser/run-queries.cjs"))
            .arg(repo_root().join("themes/default/static/search.js"))
            .arg(public)
            .arg(&qfile),
    );
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Copies a fixture site (`tests/fixtures/sites/<name>`) into a fresh temporary folder.
pub fn fixture_site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo_root().join("tests/fixtures/sites").join(name),
        dir.path(),
    );
    dir
}

/// Copies the example archive (site.toml and content/) into `root`, so a test may write
/// beside it (the search index, public/) without touching the repository.
pub fn copy_example_site(root: &Path) {
    std::fs::create_dir_all(root).unwrap();
    std::fs::copy(repo_root().join("site.toml"), root.join("site.toml")).unwrap();
    copy_dir(&repo_root().join("content"), &root.join("content"));
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Builds a site into `output` (without the tantivy index, which tests share no need for).
pub fn build_into(root: &Path, output: &Path, base_url: Option<&str>) -> BuildReport {
    let site = build::load_site(root).unwrap_or_else(|e| panic!("{e}: {e:?}"));
    let options = BuildOptions {
        output: Some(output.to_path_buf()),
        base_url: base_url.map(str::to_string),
        ..BuildOptions::default()
    };
    build::build(&site, &options).unwrap()
}

/// Every file of a folder, by `/`-separated relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = hoidap::load::relative(dir, e.path());
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The links of an HTML page: values of `href="…"`, `src="…"` and `action="…"` attributes,
/// and the `url=` of a refresh.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\"", "action=\"", "; url="] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
            }
        }
    }
    out
}

/// The `data-record-id`s of a page, in order.
pub fn record_ids(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("data-record-id=\"") {
        rest = &rest[i + 16..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].to_string());
        }
    }
    out
}

/// Checks that every internal link of every HTML page resolves to a file of the output.
/// `base_url` is the absolute base URL: links to it are internal (canonical URLs, and every
/// link of the not-found page); so are relative ones, resolved from the page's folder. A link
/// from the site's path (`/…`) is a problem in itself: it works at one path only.
pub fn broken_links(output: &Path, base_url: &str) -> Vec<String> {
    let mut broken = Vec::new();
    for (rel, bytes) in read_tree(output) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for link in links(&html) {
            let link = link
                .split('#')
                .next()
                .unwrap()
                .split('?')
                .next()
                .unwrap()
                .to_string();
            let inside = if let Some(p) = link.strip_prefix(base_url) {
                Some(p.to_string())
            } else if link.starts_with('/') {
                broken.push(format!("{rel}: {link} is not relative"));
                continue;
            } else if link.is_empty() || link.split('/').next().unwrap().contains(':') {
                // Another site, `mailto:`, `data:`, or the page itself.
                continue;
            } else {
                resolve(&rel, &link)
            };
            let Some(inside) = inside else {
                broken.push(format!("{rel}: {link} climbs above the site"));
                continue;
            };
            let file = if inside.is_empty() || inside.ends_with('/') {
                format!("{inside}index.html")
            } else {
                inside.to_string()
            };
            if !output.join(&file).is_file()
                && !broken
                    .iter()
                    .any(|b: &String| b.ends_with(&format!(" {link}")))
            {
                broken.push(format!("{rel}: {link}"));
            }
        }
    }
    broken
}

/// Where a relative `link` on the page at `page` (a file path in the output) leads, as a
/// path in the output; `None` above its root.
pub fn resolve(page: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    let trailing = link.ends_with('/') || link.ends_with("/.") || link == "." || link == "..";
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut path = parts.join("/");
    if trailing && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

/// Links from a page to the site's own pages or files that are not relative, other than
/// the canonical URL (which must be absolute) and those of the not-found page (which is
/// served at any depth): none, for a folder that works wherever it is served.
pub fn absolute_links(output: &Path, base_url: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (rel, bytes) in read_tree(output) {
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let without_canonical: String = html
            .lines()
            .filter(|l| !l.starts_with("<link rel=\"canonical\""))
            .collect();
        for link in links(&without_canonical) {
            if link.starts_with(base_url) || link.starts_with('/') {
                found.push(format!("{rel}: {link}"));
            }
        }
    }
    found
}
