//! Sharing a record page: the links the share box offers besides the button of
//! `static/share.js`. Plain links to the networks' own share pages, never their scripts.

/// Facebook's share page for `url`, which must be absolute.
pub fn facebook(url: &str) -> String {
    format!(
        "https://www.facebook.com/sharer/sharer.php?u={}",
        query_value(url)
    )
}

/// `text` as a URL query value: every byte but the unreserved ones (RFC 3986: letters,
/// digits, `-`, `.`, `_`, `~`) percent-encoded.
fn query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_url_is_one_query_value() {
        assert_eq!(
            facebook("https://x.gov.vn/hỏi-đáp/records/a-1/?q=b&c=d#e"),
            "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fx.gov.vn%2Fh%E1%BB%8Fi-%C4%91%C3%A1p%2Frecords%2Fa-1%2F%3Fq%3Db%26c%3Dd%23e"
        );
    }
}
