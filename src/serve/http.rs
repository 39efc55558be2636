//! Answering requests from the preview folder: files only from inside it, HTML with the
//! problems overlay, the search page filled in on the server, and single byte ranges (the
//! search client reads its pack files by range).

use super::inject::{self, HitFacts};
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Response, StatusCode, Uri, header};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// What every request reads; replaced by each rebuild.
#[derive(Default)]
pub struct View {
    /// The problems box, while the content has errors.
    pub overlay: Option<String>,
    /// What search hits show, from the last good full build.
    pub facts: Option<Arc<HitFacts>>,
    /// UI strings of the last good build.
    pub t: Arc<BTreeMap<String, String>>,
}

pub struct Shared {
    pub out_dir: PathBuf,
    pub index_dir: PathBuf,
    pub view: RwLock<View>,
}

/// Where a request path leads inside the served folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// A folder asked for without its final `/`.
    Redirect(String),
    NotFound,
    /// `..`, `.`, a backslash or a NUL: never looked up.
    BadRequest,
}

/// Maps a raw request path (still percent-encoded) to a file under `dir`.
pub fn resolve(dir: &Path, raw: &str) -> Resolved {
    let Some(decoded) = percent_decode(raw) else {
        return Resolved::BadRequest;
    };
    if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) {
        return Resolved::BadRequest;
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Resolved::BadRequest;
    }
    let mut path = dir.to_path_buf();
    path.extend(&segments);
    if path.is_dir() {
        if !decoded.ends_with('/') {
            return Resolved::Redirect(format!("{raw}/"));
        }
        path.push("index.html");
    }
    // Symbolic links must not lead out of the folder either.
    match (path.canonicalize(), dir.canonicalize()) {
        (Ok(file), Ok(dir)) if file.starts_with(&dir) && file.is_file() => Resolved::File(file),
        _ => Resolved::NotFound,
    }
}

fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Answers one request (blocking: reads files and may query the index).
pub fn respond(shared: &Shared, method: &Method, uri: &Uri, headers: &HeaderMap) -> Response<Body> {
    if method != Method::GET && method != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
    }
    let view = match shared.view.read() {
        Ok(v) => (v.overlay.clone(), v.facts.clone(), v.t.clone()),
        Err(_) => return plain(StatusCode::INTERNAL_SERVER_ERROR, "state poisoned"),
    };
    let (overlay, facts, t) = view;
    match resolve(&shared.out_dir, uri.path()) {
        Resolved::BadRequest => plain(StatusCode::BAD_REQUEST, "bad path"),
        Resolved::Redirect(to) => {
            let to = match uri.query() {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            let mut r = plain(StatusCode::PERMANENT_REDIRECT, "");
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Resolved::NotFound => not_found(shared, overlay.as_deref()),
        Resolved::File(file) => {
            let Ok(bytes) = std::fs::read(&file) else {
                return not_found(shared, overlay.as_deref());
            };
            if !is_html(&file) {
                return ranged(method, headers, content_type(&file), bytes);
            }
            let mut page = String::from_utf8_lossy(&bytes).into_owned();
            if is_search_page(&shared.out_dir, &file) {
                search(shared, uri, &mut page, facts.as_deref(), &t);
            }
            if let Some(o) = &overlay {
                inject::before_body_end(&mut page, o);
            }
            ranged(
                method,
                headers,
                "text/html; charset=utf-8",
                page.into_bytes(),
            )
        }
    }
}

/// What a `Range` header asks of a body of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Ask {
    /// No range, one that is not understood, or several: the whole body (RFC 9110 allows it).
    Whole,
    Part(Range<usize>),
    /// A range wholly past the end.
    Unsatisfiable,
}

/// Reads a `Range` header: one `bytes=a-b`, `bytes=a-` or `bytes=-n`.
fn ask(value: Option<&HeaderValue>, len: usize) -> Ask {
    let Some(spec) = value
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("bytes="))
    else {
        return Ask::Whole;
    };
    let Some((first, last)) = spec.split_once('-') else {
        return Ask::Whole;
    };
    if spec.contains(',') {
        return Ask::Whole;
    }
    let number = |s: &str| s.trim().parse::<usize>().ok();
    match (first.trim().is_empty(), number(first), number(last)) {
        // The last n bytes.
        (true, _, Some(0)) => Ask::Unsatisfiable,
        (true, _, Some(n)) if len > 0 => Ask::Part(len.saturating_sub(n)..len),
        (true, _, Some(_)) => Ask::Unsatisfiable,
        (false, Some(a), _) if a >= len => Ask::Unsatisfiable,
        (false, Some(a), None) if last.trim().is_empty() => Ask::Part(a..len),
        (false, Some(a), Some(b)) if a <= b => Ask::Part(a..b.saturating_add(1).min(len)),
        _ => Ask::Whole,
    }
}

/// A 200 with the whole body, or a 206 or 416 when a GET asks for a range.
fn ranged(
    method: &Method,
    headers: &HeaderMap,
    kind: &'static str,
    body: Vec<u8>,
) -> Response<Body> {
    // Without validators an `If-Range` can never match: the whole body then.
    let asked = if method == Method::GET && !headers.contains_key(header::IF_RANGE) {
        ask(headers.get(header::RANGE), body.len())
    } else {
        Ask::Whole
    };
    let len = body.len();
    let (status, body, range) = match asked {
        Ask::Whole => (StatusCode::OK, body, None),
        Ask::Part(r) => {
            let range = format!("bytes {}-{}/{len}", r.start, r.end - 1);
            (StatusCode::PARTIAL_CONTENT, body[r].to_vec(), Some(range))
        }
        Ask::Unsatisfiable => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            Vec::new(),
            Some(format!("bytes */{len}")),
        ),
    };
    let mut r = with_type(status, kind, body);
    if let Some(v) = range.and_then(|v| HeaderValue::from_str(&v).ok()) {
        r.headers_mut().insert(header::CONTENT_RANGE, v);
    }
    r
}

fn search(
    shared: &Shared,
    uri: &Uri,
    page: &mut String,
    facts: Option<&HitFacts>,
    t: &BTreeMap<String, String>,
) {
    let params = axum::extract::Query::<HashMap<String, String>>::try_from_uri(uri)
        .map(|q| q.0)
        .unwrap_or_default();
    let Some(query) = inject::query_of(&params) else {
        return;
    };
    // A missing or half-written index leaves the page to its script.
    if let Ok(results) = crate::search::query(&shared.index_dir, &query) {
        inject::search_results(page, &query, &results, facts, t);
    }
}

fn is_search_page(out_dir: &Path, file: &Path) -> bool {
    let dir = out_dir
        .canonicalize()
        .unwrap_or_else(|_| out_dir.to_path_buf());
    file.strip_prefix(&dir)
        .is_ok_and(|rel| rel == Path::new("search/index.html"))
}

fn not_found(shared: &Shared, overlay: Option<&str>) -> Response<Body> {
    let page = std::fs::read_to_string(shared.out_dir.join("404.html")).ok();
    match (page, overlay) {
        (Some(mut page), overlay) => {
            if let Some(o) = overlay {
                inject::before_body_end(&mut page, o);
            }
            html(StatusCode::NOT_FOUND, page)
        }
        // Nothing built yet: show why on every page.
        (None, Some(o)) => html(StatusCode::SERVICE_UNAVAILABLE, inject::placeholder(o)),
        (None, None) => plain(StatusCode::NOT_FOUND, "not found"),
    }
}

fn is_html(file: &Path) -> bool {
    file.extension().is_some_and(|e| e == "html" || e == "htm")
}

fn content_type(file: &Path) -> &'static str {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

fn html(status: StatusCode, page: String) -> Response<Body> {
    with_type(status, "text/html; charset=utf-8", page.into_bytes())
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    with_type(
        status,
        "text/plain; charset=utf-8",
        text.as_bytes().to_vec(),
    )
}

fn with_type(status: StatusCode, kind: &'static str, body: Vec<u8>) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    // The preview changes under the browser; never let it keep an old copy.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("out");
        std::fs::create_dir_all(root.join("records/a")).unwrap();
        std::fs::write(root.join("records/a/index.html"), "x").unwrap();
        std::fs::write(root.join("index.html"), "x").unwrap();
        std::fs::write(dir.path().join("site.toml"), "secret").unwrap();
        let file = |p: &str| root.join(p).canonicalize().unwrap();
        assert_eq!(resolve(&root, "/"), Resolved::File(file("index.html")));
        assert_eq!(
            resolve(&root, "/records/a/"),
            Resolved::File(file("records/a/index.html"))
        );
        assert_eq!(
            resolve(&root, "/records/a"),
            Resolved::Redirect("/records/a/".into())
        );
        assert_eq!(resolve(&root, "/nope"), Resolved::NotFound);
        for bad in [
            "/../site.toml",
            "/%2e%2e/site.toml",
            "/%2E%2E%2fsite.toml",
            "/records/../../site.toml",
            "/..%5csite.toml",
            "/%00",
            "/%zz",
        ] {
            assert_eq!(resolve(&root, bad), Resolved::BadRequest, "{bad}");
        }
    }

    #[test]
    fn byte_ranges() {
        let at = |v: &str, len| ask(Some(&HeaderValue::from_str(v).unwrap()), len);
        assert_eq!(ask(None, 100), Ask::Whole);
        assert_eq!(at("bytes=0-9", 100), Ask::Part(0..10));
        assert_eq!(at("bytes=90-200", 100), Ask::Part(90..100));
        assert_eq!(at("bytes=95-", 100), Ask::Part(95..100));
        assert_eq!(at("bytes=-5", 100), Ask::Part(95..100));
        assert_eq!(at("bytes=-500", 100), Ask::Part(0..100));
        assert_eq!(at("bytes=100-", 100), Ask::Unsatisfiable);
        assert_eq!(at("bytes=100-120", 100), Ask::Unsatisfiable);
        assert_eq!(at("bytes=-0", 100), Ask::Unsatisfiable);
        assert_eq!(at("bytes=0-0", 0), Ask::Unsatisfiable);
        for whole in [
            "bytes=0-1,5-6",
            "bytes=9-3",
            "items=0-1",
            "bytes=x-1",
            "bytes=",
            "bytes=-",
        ] {
            assert_eq!(at(whole, 100), Ask::Whole, "{whole}");
        }
    }

    #[test]
    fn ranged_responses() {
        let mut headers = HeaderMap::new();
        headers.insert(header::RANGE, HeaderValue::from_static("bytes=2-4"));
        let body = b"0123456789".to_vec();
        let r = ranged(&Method::GET, &headers, "text/plain", body.clone());
        assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(r.headers()[header::CONTENT_RANGE], "bytes 2-4/10");
        assert_eq!(r.headers()[header::ACCEPT_RANGES], "bytes");
        let r = ranged(&Method::HEAD, &headers, "text/plain", body.clone());
        assert_eq!(r.status(), StatusCode::OK);
        headers.insert(header::RANGE, HeaderValue::from_static("bytes=20-"));
        let r = ranged(&Method::GET, &headers, "text/plain", body.clone());
        assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);
        assert_eq!(r.headers()[header::CONTENT_RANGE], "bytes */10");
        headers.insert(header::IF_RANGE, HeaderValue::from_static("\"x\""));
        let r = ranged(&Method::GET, &headers, "text/plain", body);
        assert_eq!(r.status(), StatusCode::OK);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_folder_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("out");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
        assert_eq!(resolve(&root, "/link.txt"), Resolved::NotFound);
    }
}
