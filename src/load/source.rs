//! Reading a content file into the text every later stage works on.

use crate::diagnostics::{Diagnostic, Severity};

/// Decodes a file's bytes: UTF-8 required; a byte-order mark and CRLF line endings are
/// accepted silently; text is normalised to NFC. The CLI uses the same function to show
/// snippets, so reported positions match what it prints.
pub fn decode(bytes: &[u8], file: &str) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
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
    })?;
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    };
    Ok(crate::text::into_nfc(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_accepted() {
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb\r\n", "f").unwrap(), "a\nb\n");
    }

    #[test]
    fn invalid_utf8_reports_offset_and_position() {
        let err = decode(b"ab\ncd\xFFe", "f.md").unwrap_err();
        assert_eq!(err.code, "E0002");
        assert_eq!((err.line, err.column), (2, 3));
        assert!(err.message.contains("offset 5"));
    }
}
