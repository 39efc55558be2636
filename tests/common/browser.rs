//! The test runner of the tests that need Node.js, Chromium or playwright-core (declared with
//! `harness = false` in Cargo.toml).
//!
//! Those tools are not there on a fresh clone with only Rust, and `cargo test` must still pass
//! there. libtest can only ignore a test at compile time, so a test that found its tools
//! missing used to return early and was reported as passed, its message shown only with
//! `--nocapture`. This runner decides when the test runs: a test whose tools are missing is
//! reported as ignored, with what it needs, in the normal output and in the summary line
//! (`test result: ok. 0 passed; 0 failed; 1 ignored`). With `HOIDAP_REQUIRE_BROWSER=1` (set by
//! `.ci/run`) a missing tool fails the test instead.
//!
//! It takes what `cargo test` passes on: name filters and `--skip` (`--exact` for whole names),
//! `--list`, `--ignored` (runs none: none of these is ignored by attribute), `-q`/`--quiet`;
//! other flags are accepted and have no effect. Tests run one after the other; a test's output is not
//! captured.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// What a test needs besides Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Nothing: a test of the same file that always runs.
    Nothing,
    /// `node`.
    Node,
    /// `node`, Chromium and playwright-core (`npm ci` in tests/browser).
    Browser,
    /// All that, and axe-core (`npm ci` in tests/browser too).
    BrowserAndAxe,
}

pub struct Test {
    pub name: &'static str,
    pub needs: Needs,
    pub run: fn(),
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Chromium to drive: `CHROMIUM`, else Debian's.
pub fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Runs one of the Chromium scripts of `tests/browser` (`tests/browser/chromium.cjs`'s
/// reporter: a line per check, then "N passed, N failed") and fails the test unless it exits
/// 0 with no check failed, showing what it printed.
pub fn run_checks(script: &str, args: &[&std::ffi::OsStr]) {
    let out = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args)
        .current_dir(repo().join("tests/browser"))
        .env("CHROMIUM", chromium())
        .output()
        .unwrap();
    // Not captured by this test runner: shown only when something failed.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "the checks of {script} in Chromium failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What is missing for `needs`, as words for a person.
pub fn missing(needs: Needs) -> Vec<String> {
    let mut out = Vec::new();
    if needs == Needs::Nothing {
        return out;
    }
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node {
        out.push("`node` (Node.js 18+)".to_string());
    }
    if matches!(needs, Needs::Browser | Needs::BrowserAndAxe) {
        if !chromium().exists() {
            out.push(format!(
                "Chromium at {} (or set CHROMIUM)",
                chromium().display()
            ));
        }
        if !repo()
            .join("tests/browser/node_modules/playwright-core")
            .exists()
        {
            out.push("playwright-core (`npm ci` in tests/browser)".to_string());
        }
    }
    if needs == Needs::BrowserAndAxe && !repo().join("tests/browser/node_modules/axe-core").exists()
    {
        out.push("axe-core (`npm ci` in tests/browser)".to_string());
    }
    out
}

fn required() -> bool {
    std::env::var("HOIDAP_REQUIRE_BROWSER").as_deref() == Ok("1")
}

#[derive(Default)]
struct Args {
    filters: Vec<String>,
    skips: Vec<String>,
    exact: bool,
    list: bool,
    only_ignored: bool,
    quiet: bool,
}

fn args() -> Args {
    let mut a = Args::default();
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--exact" => a.exact = true,
            "--list" => a.list = true,
            "--ignored" => a.only_ignored = true,
            "-q" | "--quiet" => a.quiet = true,
            "--skip" => a.skips.extend(it.next()),
            // Flags with a value, given apart.
            "--test-threads" | "--color" | "--format" | "--logfile" | "-Z" => {
                it.next();
            }
            flag if flag.starts_with('-') => {}
            filter => a.filters.push(filter.to_string()),
        }
    }
    a
}

/// Runs `tests` as libtest would, and exits with libtest's codes (0, or 101 on a failure).
pub fn main(tests: &[Test]) {
    let args = args();
    let matches = |name: &str, f: &String| match args.exact {
        true => name == f,
        false => name.contains(f.as_str()),
    };
    let selected: Vec<&Test> = tests
        .iter()
        .filter(|t| args.filters.is_empty() || args.filters.iter().any(|f| matches(t.name, f)))
        .filter(|t| !args.skips.iter().any(|f| matches(t.name, f)))
        .filter(|_| !args.only_ignored)
        .collect();
    let filtered_out = tests.len() - selected.len();
    if args.list {
        for t in &selected {
            println!("{}: test", t.name);
        }
        return;
    }
    let start = Instant::now();
    println!(
        "\nrunning {} test{}",
        selected.len(),
        if selected.len() == 1 { "" } else { "s" }
    );
    let (mut passed, mut failed, mut ignored) = (Vec::new(), Vec::new(), Vec::new());
    for t in selected {
        let missing = missing(t.needs);
        if !missing.is_empty() && !required() {
            let reason = format!("needs {}", missing.join(", "));
            match args.quiet {
                true => print!("i"),
                false => println!("test {} ... ignored, {reason}", t.name),
            }
            ignored.push((t.name, reason));
            continue;
        }
        let outcome = match missing.is_empty() {
            true => std::panic::catch_unwind(t.run).is_ok(),
            false => {
                eprintln!(
                    "{}: HOIDAP_REQUIRE_BROWSER=1 but these are missing: {}",
                    t.name,
                    missing.join(", ")
                );
                false
            }
        };
        match (args.quiet, outcome) {
            (true, true) => print!("."),
            (true, false) => print!("F"),
            (false, true) => println!("test {} ... ok", t.name),
            (false, false) => println!("test {} ... FAILED", t.name),
        }
        match outcome {
            true => passed.push(t.name),
            false => failed.push(t.name),
        }
    }
    if args.quiet {
        println!();
        // The reasons, which libtest's quiet output has no room for: they are the point.
        for (name, reason) in &ignored {
            println!("ignored {name}: {reason}");
        }
    }
    if !failed.is_empty() {
        println!("\nfailures:");
        for name in &failed {
            println!("    {name}");
        }
    }
    println!(
        "\ntest result: {}. {} passed; {} failed; {} ignored; 0 measured; {filtered_out} filtered out; finished in {:.2}s\n",
        if failed.is_empty() { "ok" } else { "FAILED" },
        passed.len(),
        failed.len(),
        ignored.len(),
        start.elapsed().as_secs_f64()
    );
    if !failed.is_empty() {
        std::process::exit(101);
    }
}
