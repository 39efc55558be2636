//! A site written to exercise feeds, structured data and exports: markup characters in
//! names and text, a base URL under a path, more answers than a feed holds, ties in answer
//! dates, an agency without answers, pending and forwarded records, and aliases.
#![allow(dead_code)]

use std::path::Path;

/// Answered records of `so-a`: more than a feed's 50 entries.
pub const ANSWERED: usize = 55;
pub const BASE_URL: &str = "https://example.gov.vn/hoi-dap/";
/// A title that tries to close a script and open a comment.
pub const PENDING_TITLE: &str = "Khi nào trả lời </script><!-- <b>&amp; \"x\"?";

pub fn write_site(root: &Path) {
    let put = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    put(
        "site.toml",
        &format!(
            "title = \"Hỏi & đáp <thử>\"\nbase_url = \"{BASE_URL}\"\nlanguage = \"vi\"\ndescription = \"Mô tả \\\"thử\\\" & <kiểm tra>\"\npaginate = 20\ntoday = 2025-06-01\n"
        ),
    );
    put(
        "content/agencies.yaml",
        "- id: so-a\n  name: 'Sở \"A\" & <B>'\n  url: \"https://so-a.example.gov.vn/\"\n\
         - id: so-b\n  name: \"Phòng B\"\n  parent: so-a\n\
         - id: so-c\n  name: \"Sở C chưa trả lời\"\n",
    );
    put(
        "content/topics.yaml",
        "- id: t1\n  name: \"Chủ đề <1> & hai\"\n- id: t2\n  name: \"Chủ đề 2\"\n",
    );
    put(
        "content/sessions.yaml",
        "- id: s1\n  title: \"Đối thoại & trả lời\"\n  date: 2024-03-01\n",
    );
    let start: jiff::civil::Date = "2024-01-01".parse().unwrap();
    for i in 0..ANSWERED {
        let asked = start + jiff::Span::new().days(i as i64);
        // Pairs share an answer date, so ties must be ordered by id.
        let answered = start + jiff::Span::new().days((i / 2 * 2 + 7) as i64);
        let session = if i < 3 { "session: s1\n" } else { "" };
        put(
            &format!("content/records/r{i:03}.md"),
            &format!(
                "---\nid: \"2024-{i:04}\"\ntitle: \"Câu hỏi {i}: giá \\\"đất\\\", thuế & <phí>?\"\nasked: {asked}\n\
                 asker: {{kind: citizen, name: \"Nguyễn Văn {i}\", place: \"Phường 1, quận 2\"}}\n\
                 agency: so-a\ntopics: [t1, t2]\n{session}status: answered\nanswered: {answered}\n---\n\
                 Câu hỏi có dấu phẩy, \"ngoặc kép\" & ký hiệu <b>in đậm</b>.\n\nĐoạn hai; dòng mới.\n\n\
                 <!-- answer -->\n\nTrả lời {i}: xem *mục 2*, phí 1.000 & 2.000 đồng.\n\n- một\n- hai\n"
            ),
        );
    }
    put(
        "content/records/pending.md",
        &format!(
            "---\nid: \"2025-0001\"\ntitle: '{}'\nasked: 2025-05-01\nagency: so-b\ntopics: [t2]\n---\nVẫn đang chờ </script> trả lời.\n",
            PENDING_TITLE.replace('\'', "''")
        ),
    );
    put(
        "content/records/forwarded.md",
        "---\nid: \"2025-0002\"\ntitle: \"Chuyển cơ quan khác\"\nasked: 2025-04-01\nagency: so-b\ntopics: [t2]\n\
         status: forwarded\nanswered: 2025-04-03\naliases: [\"/cu/1.html\", \"/cu/hai/\"]\n---\n\
         Hỏi về việc khác.\n\n<!-- answer -->\n\nĐã chuyển đến Sở C.\n",
    );
}
