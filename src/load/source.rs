//! Reading a content file into the text every later stage works on.

use crate::diagnostics::{Diagnostic, Severity};

/// Decodes a file's bytes: UTF-8 required; a byte-order mark and CRLF line endings are
/// accepted silently; text is normalised to NFC. The CLI uses the same function to show
/// snippets, so reported positions match what it prints.
pub fn decode(mut bytes: Vec<u8>, file: &str) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // simdutf8 checks Vietnamese text several times faster than std (a tenth of `check`
    // was std's check); std's error is used only to locate a bad byte.
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        return Err(not_utf8(&bytes, file));
    }
    // SAFETY: simdutf8 has just checked that `bytes` is valid UTF-8.
    let text = unsafe { String::from_utf8_unchecked(bytes) };
    let text = if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text.replace("\r\n", "\n")
    } else {
        text
    };
    Ok(crate::text::into_nfc(text))
}

fn not_utf8(bytes: &[u8], file: &str) -> Diagnostic {
    let offset = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), |_| bytes.len());
    let good = String::from_utf8_lossy(&bytes[..offset]);
    let (line, column) = crate::diagnostics::line_column(&good, good.len());
    Diagnostic::at_line(
        Severity::Error,
        "E0002",
        file,
        line,
        column,
        format!("the file is not valid UTF-8 (invalid byte at offset {offset})"),
    )
    .with_help("save the file as UTF-8; most editors offer it under \"Save with encoding\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_accepted() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFa\r\nb\r\n".to_vec(), "f").unwrap(),
            "a\nb\n"
        );
    }

    #[test]
    fn invalid_utf8_reports_offset_and_position() {
        let err = decode(b"ab\ncd\xFFe".to_vec(), "f.md").unwrap_err();
        assert_eq!(err.code, "E0002");
        assert_eq!((err.line, err.column), (2, 3));
        assert!(err.message.contains("offset 5"));
    }
}
