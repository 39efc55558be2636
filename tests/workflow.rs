//! The editors' workflow end to end, through the binary: `init` makes a site that builds
//! and checks clean, `new` adds valid records and refuses unknown references, and `serve`
//! answers on 127.0.0.1, rebuilds on change, survives broken files and refuses `..`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_hoidap");

fn hoidap(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the hoidap binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A new site from `hoidap init` in a temporary folder.
fn new_site(language: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = hoidap(&["init", root.to_str().unwrap(), "--language", language]);
    assert!(out.status.success(), "init failed: {}", text(&out.stderr));
    (dir, root)
}

fn record_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![root.join("content/records")];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().is_dir() {
                dirs.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    files.sort();
    files
}

#[test]
fn init_builds_and_checks_without_warnings() {
    for language in ["vi", "en"] {
        let (_dir, root) = new_site(language);
        let r = root.to_str().unwrap();
        let check = hoidap(&["check", "--root", r, "--deny-warnings"]);
        assert!(
            check.status.success(),
            "{language}: {}",
            text(&check.stderr)
        );
        assert!(
            text(&check.stderr).contains("no problems"),
            "{}",
            text(&check.stderr)
        );
        let build = hoidap(&["build", "--root", r]);
        assert!(
            build.status.success(),
            "{language}: {}",
            text(&build.stderr)
        );
        assert!(root.join("public/index.html").is_file());
        assert!(root.join("public/404.html").is_file());
        for f in [
            ".gitignore",
            ".github/workflows/hoidap.yml",
            "content/sessions.yaml",
        ] {
            assert!(root.join(f).is_file(), "{f}");
        }
        let workflow = std::fs::read_to_string(root.join(".github/workflows/hoidap.yml")).unwrap();
        assert!(workflow.contains("hoidap check --format github"));
        assert!(workflow.contains("actions/deploy-pages"));
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = hoidap(&["init", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not empty"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn new_writes_valid_records_with_the_next_id() {
    let (_dir, root) = new_site("vi");
    let r = root.to_str().unwrap();
    let title = "Hồ sơ \"cấp phép\": mất bao lâu? #1 \\ 100%";
    let args = |asked: &'static str| {
        vec![
            "new",
            title,
            "--agency",
            "van-phong-ubnd",
            "--topic",
            "thu-tuc-hanh-chinh",
            "--asked",
            asked,
            "--root",
            r,
        ]
    };
    let first = hoidap(&args("2019-05-06"));
    assert!(first.status.success(), "{}", text(&first.stderr));
    let path = PathBuf::from(text(&first.stdout).trim());
    assert!(
        path.ends_with("content/records/2019/2019-0001.md"),
        "{path:?}"
    );
    let second = hoidap(&args("2019-07-08"));
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert!(text(&second.stdout).trim().ends_with("2019-0002.md"));

    let (site, problems) = hoidap::build::check_site(&root).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let site = site.unwrap();
    let record = site
        .archive
        .records
        .iter()
        .find(|r| r.id == "2019-0002")
        .unwrap();
    assert_eq!(record.title, title);
    assert_eq!(record.status, hoidap::model::Status::Pending);
    assert_eq!(record.asked, jiff::civil::date(2019, 7, 8));
}

#[test]
fn new_refuses_unknown_references_with_a_suggestion() {
    let (_dir, root) = new_site("vi");
    let before = record_files(&root);
    let r = root.to_str().unwrap();
    let out = hoidap(&[
        "new",
        "Câu hỏi",
        "--agency",
        "van-phong-ubd",
        "--topic",
        "thu-tuc-hanh-chinh",
        "--root",
        r,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("unknown agency"), "{err}");
    assert!(err.contains("did you mean `van-phong-ubnd`?"), "{err}");
    let out = hoidap(&[
        "new",
        "Câu hỏi",
        "--agency",
        "van-phong-ubnd",
        "--topic",
        "thu-tuc-hanh-chin",
        "--root",
        r,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean `thu-tuc-hanh-chinh`?"));
    assert_eq!(record_files(&root), before, "nothing is written");
}

/// A running `hoidap serve`, killed when dropped.
struct Server {
    child: Child,
    url: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--port", "0", "--root", root.to_str().unwrap()])
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(url) = line.split("serving the preview at ").nth(1) {
                    let _ = tx.send(url.split_whitespace().next().unwrap_or("").to_string());
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let mut server = Server {
            child,
            url: String::new(),
            log,
        };
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => server.url = url,
            Err(_) => panic!("serve did not start: {}", server.log()),
        }
        assert!(
            server.url.starts_with("http://127.0.0.1:"),
            "{}",
            server.url
        );
        server
    }

    fn addr(&self) -> String {
        self.url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string()
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// GET `target` exactly as written (no normalisation): status and body.
    fn get(&self, target: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(self.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr()
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let raw = text(&raw);
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let chunked = head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked");
        let body = if chunked {
            dechunk(body)
        } else {
            body.to_string()
        };
        (status, body)
    }

    /// Polls `target` until its body satisfies `ok`; the time it took, or `None` after 10 s.
    fn wait_for(&self, target: &str, ok: impl Fn(&str) -> bool) -> Option<Duration> {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if ok(&self.get(target).1) {
                return Some(started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

fn the_record(root: &Path) -> PathBuf {
    record_files(root).into_iter().next().unwrap()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn serve_answers_on_localhost_and_rebuilds_after_a_change() {
    let (_dir, root) = new_site("en");
    let mut server = Server::start(&root);
    let (status, body) = server.get("/");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Questions and answers"), "{body}");
    assert!(
        body.contains("tower-livereload"),
        "the reload script is injected"
    );
    assert!(server.log().contains("rebuilt in"), "{}", server.log());

    let record = the_record(&root);
    edit(
        &record,
        "How do I send a question",
        "Where do I post a question",
    );
    let id = record.file_stem().unwrap().to_str().unwrap().to_string();
    let page = format!("/records/{id}/");
    let took = server.wait_for(&page, |b| b.contains("Where do I post a question"));
    let took = took.unwrap_or_else(|| panic!("no rebuild within 10 s: {}", server.log()));
    eprintln!(
        "the edited title was served {} ms after saving",
        took.as_millis()
    );
    assert!(
        server.log().contains("read 1 of 1 record files"),
        "{}",
        server.log()
    );
    assert!(server.alive());
}

#[test]
fn serve_shows_a_broken_file_and_keeps_running_until_it_is_fixed() {
    let (_dir, root) = new_site("vi");
    let mut server = Server::start(&root);
    let record = the_record(&root);
    edit(&record, "agency: van-phong-ubnd", "agency: van-phong-ubd");
    let overlay = |b: &str| b.contains("id=\"hoidap-problems\"");
    assert!(
        server.wait_for("/", overlay).is_some(),
        "no overlay: {}",
        server.log()
    );
    let (status, body) = server.get("/");
    assert_eq!(status, 200, "the last good build is still served");
    assert!(body.contains("E0231"), "{body}");
    assert!(body.contains("did you mean `van-phong-ubnd`?"), "{body}");
    assert!(server.alive(), "the server keeps running");
    assert!(server.log().contains("error[E0231]"), "{}", server.log());

    edit(&record, "agency: van-phong-ubd", "agency: van-phong-ubnd");
    assert!(
        server.wait_for("/", |b| !overlay(b)).is_some(),
        "the overlay stays after the fix: {}",
        server.log()
    );
    assert!(server.alive());
}

#[test]
fn serve_refuses_paths_outside_the_site() {
    let (_dir, root) = new_site("vi");
    let server = Server::start(&root);
    let secret = std::fs::read_to_string(root.join("site.toml")).unwrap();
    for target in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E%2Fsite.toml",
        "/records/../../site.toml",
        "/..%5c..%5csite.toml",
        "/../../../../etc/passwd",
    ] {
        let (status, body) = server.get(target);
        assert!(status == 400 || status == 404, "{target}: {status}");
        assert!(!body.contains("base_url"), "{target} leaked site.toml");
        assert!(!body.contains(&secret));
    }
    assert_eq!(server.get("/static/style.css").0, 200);
}

#[test]
fn serve_answers_search_queries_without_javascript() {
    let (_dir, root) = new_site("vi");
    let server = Server::start(&root);
    // The index is written just after the pages; wait for it.
    let found = server.wait_for("/search/?q=th%E1%BB%A7+t%E1%BB%A5c", |b| {
        b.contains("class=\"search-hit\"")
    });
    assert!(found.is_some(), "no server-side results: {}", server.log());
    let (_, body) = server.get("/search/?q=th%E1%BB%A7+t%E1%BB%A5c");
    assert!(
        body.contains("value=\"thủ tục\""),
        "the query is kept in the form"
    );
    assert!(body.contains("<mark>"), "matches are marked");
    let (_, empty) = server.get("/search/");
    assert!(!empty.contains("class=\"search-hit\""));
}

#[test]
fn serve_starts_on_broken_content_and_builds_once_it_is_fixed() {
    let (_dir, root) = new_site("en");
    let record = the_record(&root);
    edit(&record, "status: answered", "status: answred");
    let mut server = Server::start(&root);
    let (status, body) = server.get("/");
    assert_eq!(status, 503, "nothing built yet: {body}");
    assert!(body.contains("E0222"), "{body}");
    assert!(server.alive());
    edit(&record, "status: answred", "status: answered");
    let fixed = server.wait_for("/", |b| b.contains("Questions and answers"));
    assert!(fixed.is_some(), "not built after the fix: {}", server.log());
    assert!(!server.get("/").1.contains("hoidap-problems"));
}

#[test]
fn serve_picks_up_new_and_removed_records() {
    let (_dir, root) = new_site("vi");
    let server = Server::start(&root);
    let r = root.to_str().unwrap();
    let out = hoidap(&[
        "new",
        "Câu hỏi mới về hộ tịch",
        "--agency",
        "van-phong-ubnd",
        "--topic",
        "thu-tuc-hanh-chinh",
        "--asked",
        "2019-02-03",
        "--root",
        r,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let path = PathBuf::from(text(&out.stdout).trim());
    let page = "/records/2019-0001/";
    let added = server.wait_for(page, |b| b.contains("Câu hỏi mới về hộ tịch"));
    assert!(
        added.is_some(),
        "the new record is not served: {}",
        server.log()
    );
    std::fs::remove_file(path).unwrap();
    let removed = server.wait_for(page, |b| !b.contains("Câu hỏi mới về hộ tịch"));
    assert!(removed.is_some(), "the removed record is still served");
    assert_eq!(server.get(page).0, 404);
}
