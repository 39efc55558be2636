//! Reading a spreadsheet saved as CSV: UTF-8 (with or without a byte-order mark) or
//! UTF-16 with a mark (Excel's "Unicode text"), separated by `,`, `;` or tabs.

use crate::{Error, Result};
use std::path::Path;

/// A sheet: its header row and data rows, each with the row number a spreadsheet shows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based row in the spreadsheet; the header is row 1.
    pub number: usize,
    pub cells: Vec<String>,
}

impl Row {
    /// A cell by column index; missing trailing cells read as empty.
    pub fn cell(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

/// Reads `path`; `delimiter` overrides the guess from the header line.
pub fn read(path: &Path, delimiter: Option<u8>) -> Result<Table> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ["xlsx", "xlsm", "xls", "ods", "numbers"].contains(&extension.to_ascii_lowercase().as_str())
    {
        return Err(Error::Usage(format!(
            "{}: spreadsheets are read as CSV; save the sheet as \"CSV UTF-8\" (Excel) or \
             \"Text CSV\" with UTF-8 (LibreOffice) and import that file",
            path.display()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = decode(&bytes).map_err(|m| Error::Usage(format!("{}: {m}", path.display())))?;
    parse(&text, delimiter).map_err(|m| Error::Usage(format!("{}: {m}", path.display())))
}

fn decode(bytes: &[u8]) -> Result<String, String> {
    let utf16 = |bytes: &[u8], from: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = bytes.chunks_exact(2).map(|p| from([p[0], p[1]])).collect();
        String::from_utf16(&units).map_err(|_| "the file is not valid UTF-16".to_string())
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "the file is not UTF-8 (invalid byte at offset {}); save it as \"CSV UTF-8\" in Excel \
             or choose the UTF-8 character set in LibreOffice",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Parses CSV text whose first row names the columns.
pub fn parse(text: &str, delimiter: Option<u8>) -> Result<Table, String> {
    let delimiter = delimiter.unwrap_or_else(|| guess_delimiter(text));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table = Table::default();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("cannot read row {}: {e}", i + 1))?;
        let cells: Vec<String> = record.iter().map(super::text::clean_cell).collect();
        if i == 0 {
            table.headers = cells;
        } else if cells.iter().any(|c| !c.is_empty()) {
            table.rows.push(Row {
                number: i + 1,
                cells,
            });
        }
    }
    if table.headers.iter().all(String::is_empty) {
        return Err("the file has no header row naming its columns".into());
    }
    Ok(table)
}

/// The most frequent of `,`, `;` and tab in the header line, outside quotes. Excel saves
/// with `;` where the decimal separator is a comma, as in Vietnamese settings.
fn guess_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                for (d, n) in counts.iter_mut() {
                    *n += usize::from(*d == b);
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .max_by_key(|(d, n)| (*n, *d == b','))
        .map_or(b',', |(d, _)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quoted_multiline_cells_with_row_numbers() {
        let t = parse("a,b\n1,\"x\r\ny\"\n\n2,\"q \"\"z\"\"\"\n", None).unwrap();
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(t.rows[0].cells, ["1", "x\ny"]);
        assert_eq!(t.rows[1].cells, ["2", "q \"z\""]);
        assert_eq!(t.rows[1].number, 3);
        assert_eq!(t.rows[1].cell(5), "");
    }

    #[test]
    fn guesses_semicolons_and_tabs() {
        assert_eq!(
            parse("a;b\n1;2,5\n", None).unwrap().rows[0].cells,
            ["1", "2,5"]
        );
        assert_eq!(parse("a\tb\n1\t2\n", None).unwrap().headers, ["a", "b"]);
        assert_eq!(parse("\"a;b\",c\n", None).unwrap().headers, ["a;b", "c"]);
    }

    #[test]
    fn workbooks_are_refused_with_advice() {
        let err = read(Path::new("hoi-dap.XLSX"), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("CSV UTF-8"), "{err}");
    }

    #[test]
    fn decodes_boms() {
        assert_eq!(decode(b"\xEF\xBB\xBFa").unwrap(), "a");
        assert_eq!(decode(b"\xFF\xFEa\x00").unwrap(), "a");
        assert!(decode(b"\xC0a").unwrap_err().contains("UTF-8"));
    }
}
