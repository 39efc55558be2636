//! The editors' workflow end to end, through the binary: `init` makes a site that builds
//! and checks clean, `new` adds valid records and refuses unknown references, and `serve`
//! answers on 127.0.0.1, rebuilds on change (only the pages an edit touches, when that is
//! enough), survives broken files, refuses `..` and answers byte ranges.

mod common;

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

    // Valid, but not ready to publish until the placeholder line under the front matter is
    // replaced: a warning there, which `check --deny-warnings` (CI) refuses.
    let (site, problems) = hoidap::build::check_site(&root).unwrap();
    let found: Vec<_> = problems
        .iter()
        .map(|d| (d.file.as_str(), d.line, d.column, d.code))
        .collect();
    assert_eq!(
        found,
        [
            ("content/records/2019/2019-0001.md", 9, 1, "W0249"),
            ("content/records/2019/2019-0002.md", 9, 1, "W0249"),
        ]
    );
    let denied = hoidap(&["check", "--root", r, "--deny-warnings"]);
    assert_eq!(denied.status.code(), Some(1), "{}", text(&denied.stderr));
    let site = site.unwrap();
    let record = site
        .archive
        .records
        .iter()
        .find(|r| r.id == "2019-0002")
        .unwrap();
    assert_eq!(record.title, title);
    assert_eq!(record.status, hoidap::model::Status::Pending);
    assert_eq!(record.asked, Some(jiff::civil::date(2019, 7, 8)));
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
        let (status, _, body) = self.request(target, "");
        (status, text(&body))
    }

    /// GET `target` with extra header lines (each ending in CRLF): status, head and body.
    fn request(&self, target: &str, headers: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(self.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {}\r\n{headers}Connection: close\r\n\r\n",
            self.addr()
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(raw.len());
        let head = text(&raw[..split]);
        let body = raw.get(split + 4..).unwrap_or_default();
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
            body.to_vec()
        };
        (status, head, body)
    }

    /// Waits until the log has a line containing `what`.
    fn wait_for_log(&self, what: &str) -> bool {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if self.log().contains(what) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
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

fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.windows(2).position(|w| w == b"\r\n") {
        let Ok(n) = usize::from_str_radix(text(&rest[..at]).trim(), 16) else {
            break;
        };
        let after = &rest[at + 2..];
        if n == 0 || after.len() < n {
            break;
        }
        out.extend_from_slice(&after[..n]);
        rest = after[n..].strip_prefix(b"\r\n").unwrap_or(&after[n..]);
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
        server.wait_for_log("read 1 of 1 record files"),
        "{}",
        server.log()
    );
    assert!(server.alive());
}

/// A file's inode and modification time: a file written again gets a new inode (it is
/// renamed over), a folder swapped in has a new one too.
fn identity(path: &Path) -> (u64, std::time::SystemTime) {
    let m = std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let inode = 0;
    (inode, m.modified().unwrap())
}

#[test]
fn serve_re_renders_only_the_pages_an_edit_touches() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_example_site(&root);
    let server = Server::start(&root);
    let out = root.join(".hoidap/serve");
    // 2014-0007 is answered by so-tai-nguyen-moi-truong; 2019-0071 by another agency.
    let record = root.join("content/records/2014/2014-0007.md");
    let page = out.join("records/2014-0007/index.html");
    let unrelated = [
        out.join("records/2019-0071/index.html"),
        out.join("agencies/so-xay-dung/index.html"),
        out.join("data/records.json"),
    ];
    let before: Vec<_> = unrelated.iter().map(|p| identity(p)).collect();
    let (page_before, out_before) = (identity(&page), identity(&out));

    // The answer, the question and the title: the title and the question's start (the
    // excerpt) show in lists, neighbours, the home page; the title on aliases.
    let text = std::fs::read_to_string(&record).unwrap();
    let text = text
        .replacen("trả lời như sau:", "trả lời như sau (bản sửa):", 1)
        .replacen("Gia đình tôi đang ở", "Gia đình tôi (sửa) đang ở", 1)
        .replacen(
            "có được cấp sổ đỏ không?",
            "có được cấp sổ đỏ không (sửa)?",
            1,
        );
    std::fs::write(&record, text).unwrap();
    let new_text = |b: &str| b.contains("trả lời như sau (bản sửa):");
    let took = server.wait_for("/records/2014-0007/", new_text);
    let took = took.unwrap_or_else(|| panic!("the edit is not served: {}", server.log()));
    assert!(
        took < Duration::from_secs(1),
        "the edit was served after {} ms: {}",
        took.as_millis(),
        server.log()
    );
    assert!(
        server.wait_for_log("pages and feeds re-rendered in"),
        "not the fast path: {}",
        server.log()
    );
    let after: Vec<_> = unrelated.iter().map(|p| identity(p)).collect();
    assert_eq!(before, after, "pages the edit does not touch were written");
    // (Its modification time changes: the home page was renamed into it.)
    assert_eq!(
        identity(&out).0,
        out_before.0,
        "the served folder was swapped"
    );
    assert_ne!(identity(&page), page_before);
    let (_, feed) = server.get("/feeds/agencies/so-tai-nguyen-moi-truong.xml");
    assert!(new_text(&feed), "the agency's feed shows the edit");
    // Every page and feed is as a full build of the edited site makes it; only the search
    // index, the exports and the choice of related questions stay as of the last full build.
    let full = dir.path().join("full");
    common::build_into(&root, &full, Some(&server.url));
    let pages = |dir: &Path| {
        let mut tree = common::read_tree(dir);
        tree.retain(|path, _| !path.starts_with("search/") && !path.starts_with("data/"));
        for bytes in tree.values_mut() {
            *bytes = without_related_ids(bytes);
        }
        tree
    };
    let (served, built) = (pages(&out), pages(&full));
    assert_eq!(served.len(), built.len());
    for (path, bytes) in &built {
        assert!(
            served.get(path) == Some(bytes),
            "{path} differs from a full build"
        );
    }

    // Another agency moves the record between lists: every page is built again.
    edit(
        &record,
        "agency: so-tai-nguyen-moi-truong",
        "agency: so-xay-dung",
    );
    let link = "/records/2014-0007/";
    let moved = server.wait_for("/agencies/so-xay-dung/", |b| b.contains(link));
    assert!(
        moved.is_some(),
        "not on the new agency's page: {}",
        server.log()
    );
    let (_, old) = server.get("/agencies/so-tai-nguyen-moi-truong/");
    assert!(!old.contains(link), "still on the old agency's page");
    assert!(
        server.wait_for_log("every page (a record moved between lists or changed a count)"),
        "{}",
        server.log()
    );
    #[cfg(unix)]
    assert_ne!(identity(&out).0, out_before.0, "a full build is swapped in");
    let (_, page) = server.get(link);
    assert!(page.contains("/agencies/so-xay-dung/") && new_text(&page));
}

#[test]
fn serve_answers_byte_ranges() {
    let (_dir, root) = new_site("vi");
    let server = Server::start(&root);
    let whole = std::fs::read(root.join(".hoidap/serve/static/style.css")).unwrap();
    let (status, head, body) = server.request("/static/style.css", "");
    assert_eq!((status, body.len()), (200, whole.len()));
    let head = head.to_ascii_lowercase();
    assert!(head.contains("accept-ranges: bytes"), "{head}");

    let (status, head, body) = server.request("/static/style.css", "Range: bytes=0-9\r\n");
    assert_eq!(status, 206, "{head}");
    assert_eq!(body, whole[..10]);
    let range = format!("content-range: bytes 0-9/{}", whole.len());
    assert!(head.to_ascii_lowercase().contains(&range), "{head}");

    let past = format!("Range: bytes={}-\r\n", whole.len());
    let (status, head, body) = server.request("/static/style.css", &past);
    assert_eq!(status, 416, "{head}");
    assert!(body.is_empty());
    let unsatisfied = format!("content-range: bytes */{}", whole.len());
    assert!(head.to_ascii_lowercase().contains(&unsatisfied), "{head}");

    // Several ranges at once get the whole file, as HTTP allows.
    let (status, _, body) = server.request("/static/style.css", "Range: bytes=0-1,4-5\r\n");
    assert_eq!((status, body.len()), (200, whole.len()));
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
    // The overlay can be served before the reader thread has the log's line.
    assert!(server.wait_for_log("error[E0231]"), "{}", server.log());

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
    // Relative from the search page, like every link of the site.
    assert!(
        body.contains("class=\"search-hit\" data-record-id=\"")
            && body.contains("<h2><a href=\"../records/"),
        "{body}"
    );
    // Telex typed with the input method off is corrected, and the page says so.
    let (_, telex) = server.get("/search/?q=thur+tucj");
    assert!(
        telex.contains("Kết quả cho <strong>thủ tục</strong>")
            && telex.contains("class=\"search-hit\""),
        "{telex}"
    );
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

/// A page with the ids and links of its related questions left out (their titles stay): the
/// preview's fast path keeps the lists of the last full build, but shows current titles.
fn without_related_ids(bytes: &[u8]) -> Vec<u8> {
    let Ok(html) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    let Some(from) = html.find("<section class=\"related\"") else {
        return bytes.to_vec();
    };
    let to = from + html[from..].find("</section>").unwrap();
    let mut titles: Vec<&str> = html[from..to]
        .split("\">")
        .skip(1)
        .filter_map(|s| s.split("</a>").next())
        .filter(|s| !s.contains('<'))
        .collect();
    titles.sort_unstable();
    format!("{}{}{}", &html[..from], titles.join("\n"), &html[to..]).into_bytes()
}
