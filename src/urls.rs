//! Where every page lives. URLs are built from ids, never from titles, so a corrected title
//! breaks no link. Paths here are relative to the site root and end in `/` for pages.

pub fn record(id: &str) -> String {
    format!("records/{id}/")
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
}
