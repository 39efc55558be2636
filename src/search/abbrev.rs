//! Abbreviations of administrative writing (`GPLX` for `giấy phép lái xe`), expanded at
//! index time: wherever a record writes a long form, its body also gets the short form as a
//! term (not counted in its length), so the short form's posting list holds the records
//! written either way. A query in the short form looks that term up; a query in the long form
//! counts each of its syllables as held by a record that holds the short form. See
//! `docs/search.md` ("Abbreviations").

use super::analysis::Analyzer;
use serde::{Deserialize, Serialize};

/// foldhash: keys are short syllables, looked up for every syllable of the archive, where
/// SipHash (std's) is slow; its seed is random per map.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// The built-in table: short form, long forms. Checked against the portal FAQ; every short
/// form is a syllable no Vietnamese word uses.
pub const BUILT_IN: &[(&str, &[&str])] = &[
    ("UBND", &["ủy ban nhân dân"]),
    ("HĐND", &["hội đồng nhân dân"]),
    ("BHXH", &["bảo hiểm xã hội"]),
    ("BHYT", &["bảo hiểm y tế"]),
    ("BHTN", &["bảo hiểm thất nghiệp"]),
    ("CCCD", &["căn cước công dân"]),
    ("CMND", &["chứng minh nhân dân", "chứng minh thư nhân dân"]),
    ("GPLX", &["giấy phép lái xe"]),
    ("QSDĐ", &["quyền sử dụng đất"]),
    ("TNHH", &["trách nhiệm hữu hạn"]),
    ("TTHC", &["thủ tục hành chính"]),
    ("ATTP", &["an toàn thực phẩm"]),
    ("PCCC", &["phòng cháy chữa cháy", "phòng cháy và chữa cháy"]),
    ("GTVT", &["giao thông vận tải"]),
    ("BGTVT", &["bộ giao thông vận tải"]),
    ("PTNT", &["phát triển nông thôn"]),
    ("NSNN", &["ngân sách nhà nước"]),
    ("KBNN", &["kho bạc nhà nước"]),
    ("GTGT", &["giá trị gia tăng"]),
    ("TNCN", &["thu nhập cá nhân"]),
    ("TNDN", &["thu nhập doanh nghiệp"]),
    ("CNTT", &["công nghệ thông tin"]),
    ("KHCN", &["khoa học công nghệ", "khoa học và công nghệ"]),
    ("ĐTNĐ", &["đường thủy nội địa", "đường thuỷ nội địa"]),
    ("TCVN", &["tiêu chuẩn việt nam"]),
    ("THPT", &["trung học phổ thông"]),
    ("THCS", &["trung học cơ sở"]),
    ("HTX", &["hợp tác xã"]),
    ("KCN", &["khu công nghiệp"]),
    ("BTC", &["bộ tài chính"]),
    ("BCA", &["bộ công an"]),
    ("BYT", &["bộ y tế"]),
    ("BQP", &["bộ quốc phòng"]),
    ("BTP", &["bộ tư pháp"]),
    ("BNV", &["bộ nội vụ"]),
    ("BCT", &["bộ công thương"]),
    ("BTTTT", &["bộ thông tin và truyền thông"]),
    ("BTNMT", &["bộ tài nguyên và môi trường"]),
    (
        "LĐTBXH",
        &[
            "lao động thương binh và xã hội",
            "lao động thương binh xã hội",
        ],
    ),
];

/// One abbreviation, folded: `gplx` ← [`giay phep lai xe`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Abbreviation {
    pub short: String,
    /// Each long form as its folded syllables joined by spaces.
    pub long: Vec<String>,
}

/// The table in use: the built-in one and the site's (`content/abbreviations.yaml`).
#[derive(Debug, Clone, Default)]
pub struct Abbreviations {
    pub list: Vec<Abbreviation>,
    /// First syllable of a long form → (its syllables, index into `list`).
    by_first: HashMap<String, Vec<(Vec<String>, usize)>>,
}

impl Abbreviations {
    /// The built-in table with the site's entries (short form, long forms as written) added:
    /// a site's long forms for a built-in short form add to it.
    pub fn new(an: &mut Analyzer, site: &[(String, Vec<String>)]) -> Abbreviations {
        let mut entries: Vec<(String, Vec<String>)> = BUILT_IN
            .iter()
            .map(|(s, l)| (s.to_string(), l.iter().map(|x| x.to_string()).collect()))
            .collect();
        entries.extend(site.iter().cloned());
        let mut list: Vec<Abbreviation> = Vec::new();
        for (short, longs) in entries {
            let short = an.fold(&short);
            if short.is_empty() || short.contains(' ') {
                continue;
            }
            let i = match list.iter().position(|a| a.short == short) {
                Some(i) => i,
                None => {
                    list.push(Abbreviation {
                        short,
                        long: Vec::new(),
                    });
                    list.len() - 1
                }
            };
            for long in longs {
                let long = an.fold(&long);
                if long.contains(' ') && !list[i].long.contains(&long) {
                    list[i].long.push(long);
                }
            }
        }
        Self::from_list(list)
    }

    /// A table from its folded entries (as the indexes store it).
    pub fn from_list(list: Vec<Abbreviation>) -> Abbreviations {
        let mut by_first: HashMap<String, Vec<(Vec<String>, usize)>> = HashMap::default();
        for (i, a) in list.iter().enumerate() {
            for long in &a.long {
                let syllables: Vec<String> = long.split(' ').map(str::to_string).collect();
                by_first
                    .entry(syllables[0].clone())
                    .or_default()
                    .push((syllables, i));
            }
        }
        Abbreviations { list, by_first }
    }

    /// Whether some long form starts with the folded syllable `s` (where [`Self::matches`]
    /// can find something).
    pub fn starts_long_form(&self, s: &str) -> bool {
        self.by_first.contains_key(s)
    }

    /// Calls `f(start, len, short)` for every long form found in the folded syllables
    /// `tokens`, in order of position.
    pub fn matches<S: AsRef<str>>(&self, tokens: &[S], mut f: impl FnMut(usize, usize, &str)) {
        if self.by_first.is_empty() {
            return;
        }
        for i in 0..tokens.len() {
            self.matches_at(tokens, i, &mut f);
        }
    }

    /// [`Self::matches`] for the long forms starting at `tokens[i]` only: for a caller that
    /// knows which syllables start one ([`Self::starts_long_form`]).
    pub fn matches_at<S: AsRef<str>>(
        &self,
        tokens: &[S],
        i: usize,
        mut f: impl FnMut(usize, usize, &str),
    ) {
        let Some(candidates) = tokens.get(i).and_then(|t| self.by_first.get(t.as_ref())) else {
            return;
        };
        for (syllables, a) in candidates {
            let n = syllables.len();
            if i + n <= tokens.len()
                && syllables
                    .iter()
                    .zip(&tokens[i..i + n])
                    .all(|(s, t)| s == t.as_ref())
            {
                f(i, n, &self.list[*a].short);
            }
        }
    }

    /// The entries whose short form `keep` accepts (those the archive has), for the indexes.
    pub fn retain(&self, keep: impl Fn(&str) -> bool) -> Vec<Abbreviation> {
        self.list
            .iter()
            .filter(|a| keep(&a.short))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_forms_are_found_in_folded_text() {
        let mut an = Analyzer::default();
        let site = vec![("VNeID".to_string(), vec!["định danh điện tử".to_string()])];
        let t = Abbreviations::new(&mut an, &site);
        let text =
            an.fold("Cấp đổi Giấy phép lái xe và thẻ định danh điện tử, bộ giao thông vận tải");
        let tokens: Vec<&str> = text.split(' ').collect();
        let mut found = Vec::new();
        t.matches(&tokens, |i, n, s| found.push((i, n, s.to_string())));
        assert_eq!(
            found,
            [
                (2, 4, "gplx".to_string()),
                (8, 4, "vneid".to_string()),
                (12, 5, "bgtvt".to_string()),
                (13, 4, "gtvt".to_string()),
            ]
        );
    }

    /// The analysis asks only where a syllable starts a long form: that finds what the
    /// whole scan finds, in the same order.
    #[test]
    fn matches_at_the_starts_equals_matches() {
        let mut an = Analyzer::default();
        let t = Abbreviations::new(&mut an, &[]);
        let text = an.fold("bộ giao thông vận tải, giấy phép lái xe giấy phép, bảo hiểm y tế bộ");
        let tokens: Vec<&str> = text.split(' ').collect();
        let mut whole = Vec::new();
        t.matches(&tokens, |i, n, s| whole.push((i, n, s.to_string())));
        let mut at = Vec::new();
        for i in (0..tokens.len()).filter(|&i| t.starts_long_form(tokens[i])) {
            t.matches_at(&tokens, i, |i, n, s| at.push((i, n, s.to_string())));
        }
        assert_eq!(at, whole);
        assert_eq!(whole.len(), 4, "{whole:?}");
        let mut none = Vec::new();
        t.matches_at(&tokens, tokens.len(), |i, n, s| {
            none.push((i, n, s.to_string()))
        });
        assert!(none.is_empty());
    }

    #[test]
    fn built_in_short_forms_are_one_syllable_and_long_forms_several() {
        let mut an = Analyzer::default();
        let t = Abbreviations::new(&mut an, &[]);
        assert_eq!(t.list.len(), BUILT_IN.len());
        for a in &t.list {
            assert!(!a.short.contains(' '), "{}", a.short);
            assert!(!a.long.is_empty(), "{}", a.short);
        }
        assert!(t.list.iter().any(|a| a.short == "qsdd"));
    }
}
