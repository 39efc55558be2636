//! `[[channels]]` in `site.toml`: where citizens can ask (a hotline, a web form, a social
//! page), shown on the home page and in the footer.

use crate::diagnostics::{Diagnostic, Severity};
use serde::{Deserialize, Serialize};

/// One way to ask.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Channel {
    /// What citizens know it as: "Đường dây nóng 1022".
    pub name: String,
    pub kind: ChannelKind,
    /// The web form or social page; a hotline may have one too.
    #[serde(default)]
    pub url: Option<String>,
    /// The number to call: required for a hotline.
    #[serde(default)]
    pub phone: Option<String>,
    /// A short note: opening hours, who answers.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    /// A telephone line.
    Hotline,
    /// A form on a website.
    Web,
    /// A page on a social network.
    Social,
}

/// The keys a channel may have.
pub const KEYS: &[&str] = &["name", "kind", "url", "phone", "note"];

impl Channel {
    /// The `tel:` link of the phone number: its `+` and digits.
    pub fn tel(&self) -> Option<String> {
        let phone = self.phone.as_deref()?;
        let digits: String = phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        Some(format!("tel:{digits}"))
    }
}

/// The problems of the channels of `text` (site.toml), each located at its key.
pub fn check(channels: &[Channel], text: &str, file: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (n, c) in channels.iter().enumerate() {
        let mut error = |key: &str, message: String| {
            problems.push(Diagnostic::at_offset(
                Severity::Error,
                "E0105",
                file,
                text,
                offset_in_channel(text, n, key),
                format!("channel {} (`{}`): {message}", n + 1, c.name.trim()),
            ));
        };
        if c.name.trim().is_empty() {
            error("name", "`name` must not be empty".into());
        }
        match c.kind {
            ChannelKind::Hotline if c.phone.is_none() => error(
                "kind",
                "a hotline needs `phone`, the number to call, such as \"1022\" or \"0236 3 822 123\""
                    .into(),
            ),
            ChannelKind::Web | ChannelKind::Social if c.url.is_none() => error(
                "kind",
                format!(
                    "a {} channel needs `url`, the address of the page where citizens ask",
                    c.kind.as_str()
                ),
            ),
            _ => {}
        }
        if let Some(url) = &c.url
            && !is_web_url(url)
        {
            error(
                "url",
                format!("`url` must be an absolute http(s) address, not {url:?}"),
            );
        }
        if let Some(phone) = &c.phone
            && !is_phone(phone)
        {
            error(
                "phone",
                format!(
                    "`phone` must be a telephone number (digits, spaces, `+`, `-`, `.`, parentheses), not {phone:?}"
                ),
            );
        }
    }
    problems
}

impl ChannelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Hotline => "hotline",
            ChannelKind::Web => "web",
            ChannelKind::Social => "social",
        }
    }
}

/// Keys of the channels that hoidap does not know, as warnings at their lines.
pub fn unknown_keys(channels: &toml::Value, text: &str, file: &str) -> Vec<Diagnostic> {
    let Some(list) = channels.as_array() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (n, table) in list.iter().enumerate() {
        let Some(table) = table.as_table() else {
            continue;
        };
        for key in table.keys().filter(|k| !KEYS.contains(&k.as_str())) {
            out.push(Diagnostic::at_offset(
                Severity::Warning,
                "W0101",
                file,
                text,
                offset_in_channel(text, n, key),
                format!(
                    "unknown setting `{key}` in channel {} of site.toml; it is ignored",
                    n + 1
                ),
            ));
        }
    }
    out
}

fn is_web_url(url: &str) -> bool {
    ["https://", "http://"].iter().any(|scheme| {
        url.strip_prefix(scheme)
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
    }) && !url.contains(char::is_whitespace)
}

fn is_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    digits >= 3
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')'))
}

/// Byte offset of `key = ` in the `n`-th (from 0) `[[channels]]` table, else of the table's
/// header, else of a `channels = ` line (the inline form), else 0.
fn offset_in_channel(text: &str, n: usize, key: &str) -> usize {
    let mut offset = 0;
    let mut seen = 0;
    let mut header = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let indent = line.len() - line.trim_start().len();
        if trimmed.starts_with('[') {
            if header.is_some() {
                break;
            }
            if trimmed.trim_start_matches('[').trim_end_matches(']').trim() == "channels"
                && trimmed.starts_with("[[")
            {
                if seen == n {
                    header = Some(offset + indent);
                }
                seen += 1;
            }
        } else if header.is_some()
            && let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return offset + indent;
        }
        offset += line.len();
    }
    header.unwrap_or_else(|| super::offset_of_key(text, "channels"))
}

#[cfg(test)]
mod tests {
    use crate::config::SiteConfig;

    const MINIMAL: &str =
        "title = \"Hỏi đáp\"\nbase_url = \"https://example.gov.vn/\"\nlanguage = \"vi\"\n";

    #[test]
    fn channels_are_read_in_order() {
        let text = format!(
            "{MINIMAL}\n[[channels]]\nname = \"Đường dây nóng 1022\"\nkind = \"hotline\"\nphone = \"1022\"\nnote = \"24/7\"\n\n[[channels]]\nname = \"Cổng góp ý\"\nkind = \"web\"\nurl = \"https://gopy.example.gov.vn/\"\n"
        );
        let c = SiteConfig::parse(&text, "site.toml").unwrap();
        assert_eq!(c.channels.len(), 2);
        assert_eq!(c.channels[0].tel().as_deref(), Some("tel:1022"));
        assert_eq!(
            c.channels[1].url.as_deref(),
            Some("https://gopy.example.gov.vn/")
        );
        assert!(SiteConfig::unknown_keys(&text, "site.toml").is_empty());
    }

    #[test]
    fn bad_channels_are_located_at_their_key() {
        let text = format!(
            "{MINIMAL}[[channels]]\nname = \"Nóng\"\nkind = \"hotline\"\n\n[[channels]]\nname = \"Trang\"\nkind = \"social\"\nurl = \"facebook.com/x\"\n[[channels]]\nname = \"Gọi\"\nkind = \"hotline\"\nphone = \"gọi ngay\"\n"
        );
        let errs = SiteConfig::parse(&text, "site.toml").unwrap_err();
        let got: Vec<(&str, u32, u32)> = errs.iter().map(|d| (d.code, d.line, d.column)).collect();
        assert_eq!(got, [("E0105", 6, 1), ("E0105", 11, 1), ("E0105", 15, 1)]);
        assert!(
            errs[0].message.contains("needs `phone`"),
            "{}",
            errs[0].message
        );
        assert!(
            errs[1].message.contains("absolute http(s)"),
            "{}",
            errs[1].message
        );
        assert!(
            errs[2].message.contains("telephone number"),
            "{}",
            errs[2].message
        );
    }

    #[test]
    fn an_unknown_kind_is_a_located_type_error_and_unknown_keys_warn() {
        let text = format!("{MINIMAL}[[channels]]\nname = \"Fax\"\nkind = \"fax\"\n");
        let errs = SiteConfig::parse(&text, "site.toml").unwrap_err();
        assert_eq!((errs[0].code, errs[0].line), ("E0101", 6));
        assert!(errs[0].message.contains("hotline"), "{}", errs[0].message);

        let text = format!(
            "{MINIMAL}[[channels]]\nname = \"Web\"\nkind = \"web\"\nurl = \"https://a.vn/\"\nhours = \"8-17\"\n"
        );
        let w = SiteConfig::unknown_keys(&text, "site.toml");
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].code, w[0].line), ("W0101", 8));
    }
}
