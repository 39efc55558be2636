//! Stable record ids: from an id column, the `id=` of a source URL, or a hash.

/// The record's id: the `id` cell (slugged), else the `id=` of the source URL, else a
/// hash of the source URL, else a hash of the question.
pub fn record_id(
    prefix: Option<&str>,
    cell: Option<String>,
    source: Option<&str>,
    question: &str,
) -> Result<String, String> {
    let prefix = prefix.map(crate::text::slugify);
    let join = |prefix: Option<String>, rest: String| match prefix {
        Some(p) if !p.is_empty() => format!("{p}-{rest}"),
        _ => rest,
    };
    let id = if let Some(cell) = cell {
        let base = if crate::text::is_valid_id(&cell) {
            cell.clone()
        } else {
            crate::text::slugify(&cell)
        };
        if base.is_empty() {
            return Err(format!("id {cell:?} has no letters or digits"));
        }
        join(prefix, base)
    } else if let Some(url) = source {
        let prefix = prefix.or_else(|| host_label(url)).or(Some("import".into()));
        let rest = query_id(url).unwrap_or_else(|| hash(url));
        join(prefix, rest)
    } else {
        let words = question.split_whitespace().collect::<Vec<_>>().join(" ");
        join(prefix.or(Some("q".into())), hash(&crate::text::nfc(&words)))
    };
    Ok(id)
}

/// The first label of a URL's host (`https://www.dichvucong.gov.vn/…` → `dichvucong`).
pub(super) fn host_label(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    let label = crate::text::slugify(host.split('.').next()?);
    (!label.is_empty()).then_some(label)
}

/// The value of an `id` query parameter, slugged.
pub(super) fn query_id(url: &str) -> Option<String> {
    let query = url.split_once('?')?.1.split('#').next()?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| k.eq_ignore_ascii_case("id"))
        .map(|(_, v)| crate::text::slugify(v))
        .filter(|v| !v.is_empty())
}

/// Ten hex digits of FNV-1a: stable across Rust versions and platforms, unlike std's hasher.
pub(super) fn hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:010x}", h >> 24)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_urls() {
        let url = "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-cau-hoi.html?id=15442&row_limit=1";
        assert_eq!(host_label(url).as_deref(), Some("dichvucong"));
        assert_eq!(query_id(url).as_deref(), Some("15442"));
        assert_eq!(
            query_id("https://a.vn/x?ID=Ab_1#top").as_deref(),
            Some("ab-1")
        );
        assert_eq!(query_id("https://a.vn/x"), None);
        assert_eq!(
            host_label("https://www.example.gov.vn/x").as_deref(),
            Some("example")
        );
    }

    #[test]
    fn hash_is_stable() {
        assert_eq!(hash(""), "cbf29ce484");
        assert_eq!(hash("a").len(), 10);
    }
}
