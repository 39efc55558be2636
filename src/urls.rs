//! Where every page lives. URLs are built from ids, never from titles, so a corrected title
//! breaks no link. Paths here are relative to the site root and end in `/` for pages.
//!
//! Pages link to each other and to their files by relative URLs: [`root_of`] is the way from a
//! page back to the site root (`../../` from `records/x/`), and every link on the page is that
//! followed by a path from here. So the built folder works wherever it is served, not only at
//! `base_url`. The one exception is [`NOT_FOUND`] (see [`root_of`]).

pub fn record(id: &str) -> String {
    let mut path = String::with_capacity(id.len() + 9);
    push_record(&mut path, id);
    path
}

/// Appends a record's path (see [`record`]): list pages make one for every summary they show.
pub fn push_record(out: &mut String, id: &str) {
    out.push_str("records/");
    out.push_str(id);
    out.push('/');
}

pub fn agency(id: &str) -> String {
    format!("agencies/{id}/")
}

pub fn topic(id: &str) -> String {
    format!("topics/{id}/")
}

pub fn session(id: &str) -> String {
    format!("sessions/{id}/")
}

pub fn year(year: i16) -> String {
    format!("years/{year}/")
}

pub const AGENCIES: &str = "agencies/";
pub const TOPICS: &str = "topics/";
pub const SESSIONS: &str = "sessions/";
pub const YEARS: &str = "years/";
pub const SEARCH: &str = "search/";
pub const STATS: &str = "stats/";

/// The page hosts show for any address that has no file, at whatever depth it was asked.
pub const NOT_FOUND: &str = "404.html";

/// The relative way from the page or file at `path` back to the site root: `./` for the
/// home page and the files beside it, then one `../` per folder (`records/x/` → `../../`,
/// `cu/1.html` → `../`). Followed by a path of this module it is a link that works from that
/// page however deep the site itself is served. The not-found page is the exception: it is
/// served in place of any missing address, so it has no depth of its own and gets
/// `base_url`, absolute.
pub fn root_of(path: &str, base_url: &str) -> String {
    if path == NOT_FOUND {
        return base_url.to_string();
    }
    match path.matches('/').count() {
        0 => "./".to_string(),
        depth => "../".repeat(depth),
    }
}

/// Page `n` (1-based) of a paginated list at `base`; the first page is the list itself.
pub fn page(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// The file that serves a page path: `records/x/` → `records/x/index.html`.
pub fn file_for(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Where an alias (an earlier URL path of a record on this host) is written in the output:
/// relative to the site, so `/hoi-dap/cu/1.html` on a site at `/hoi-dap/` is `cu/1.html`.
pub fn alias_path(alias: &str, base_path: &str) -> String {
    let alias = alias.trim().trim_start_matches('/');
    let base = base_path.trim_start_matches('/');
    alias.strip_prefix(base).unwrap_or(alias).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_files() {
        assert_eq!(record("2018-000123"), "records/2018-000123/");
        assert_eq!(page("agencies/so-xay-dung/", 1), "agencies/so-xay-dung/");
        assert_eq!(
            page("agencies/so-xay-dung/", 3),
            "agencies/so-xay-dung/page/3/"
        );
        assert_eq!(file_for(""), "index.html");
        assert_eq!(file_for("topics/"), "topics/index.html");
        assert_eq!(file_for("sitemap.xml"), "sitemap.xml");
        assert_eq!(alias_path("/hoi-dap/cu/1.html", "/hoi-dap/"), "cu/1.html");
        assert_eq!(alias_path("/cu/1.html", "/"), "cu/1.html");
        assert_eq!(alias_path("cu/1.html", "/hoi-dap/"), "cu/1.html");
    }

    #[test]
    fn roots() {
        let base = "https://x.gov.vn/hoi-dap/";
        assert_eq!(root_of("", base), "./");
        assert_eq!(root_of("sitemap.xml", base), "./");
        assert_eq!(root_of(SEARCH, base), "../");
        assert_eq!(root_of(&record("a"), base), "../../");
        assert_eq!(root_of(&page(&agency("a"), 3), base), "../../../../");
        assert_eq!(root_of("cu/1.html", base), "../");
        assert_eq!(root_of(NOT_FOUND, base), base);
    }
}
