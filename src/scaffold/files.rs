//! The text of a new site's files, in each interface language. `{name}` marks a value
//! filled in by `site_files`.

use crate::config::Language;

pub struct Texts {
    pub title: &'static str,
    pub site_toml: &'static str,
    pub agencies: &'static str,
    pub topics: &'static str,
    pub sessions: &'static str,
    pub record: &'static str,
}

pub fn texts(language: Language) -> Texts {
    match language {
        Language::Vi => VI,
        Language::En => EN,
    }
}

const VI: Texts = Texts {
    title: "Hỏi đáp",
    site_toml: r#"# Cấu hình của trang hỏi đáp. Dòng bắt đầu bằng # là chú thích, hoidap bỏ qua.

# Tên trang, hiện ở đầu mỗi trang và trong thẻ tiêu đề.
title = {title}
# Mô tả ngắn, dùng cho công cụ tìm kiếm và khi chia sẻ liên kết.
description = "Câu hỏi của người dân, doanh nghiệp và trả lời của cơ quan nhà nước."
# Địa chỉ đầy đủ nơi trang được công bố (có thể có đường dẫn, ví dụ https://example.gov.vn/hoi-dap/).
# Hãy thay địa chỉ mẫu này trước khi công bố.
base_url = {base_url}
# Ngôn ngữ giao diện, ngày tháng và thứ tự sắp xếp: "vi" hoặc "en".
language = "{language}"
# Số câu hỏi trên mỗi trang danh sách.
paginate = 20

# Thời hạn trả lời, dùng cho trang thống kê.
[deadline]
# Số ngày được phép để trả lời.
days = 15
# "working" (ngày làm việc, thứ Hai đến thứ Sáu) hoặc "calendar" (ngày lịch).
kind = "working"
# Các ngày nghỉ lễ ngoài thứ Bảy, Chủ nhật (Tết thay đổi theo từng năm nên cần liệt kê).
holidays = []

# Không công bố tỉ lệ cho cơ quan hoặc chủ đề có ít câu hỏi hơn số này.
[stats]
min_records = 5

# Nơi người dân gửi câu hỏi, hiện ở trang chủ và cuối mỗi trang. Bỏ dấu # để dùng.
# `kind`: "hotline" (cần `phone`), "web" hoặc "social" (cần `url`); `note` không bắt buộc.
# [[channels]]
# name = "Đường dây nóng"
# kind = "hotline"
# phone = "1022"
# note = "Từ 7 giờ 30 đến 17 giờ, thứ Hai đến thứ Sáu."
#
# [[channels]]
# name = "Cổng góp ý trực tuyến"
# kind = "web"
# url = "https://example.gov.vn/gop-y/"
"#,
    agencies: r#"# Các cơ quan trả lời câu hỏi. Mỗi mục cần `id` (chữ thường không dấu, số và dấu -)
# và `name`; có thể thêm `short_name`, `parent` (id cơ quan cấp trên), `url`, `description`.
- id: van-phong-ubnd
  name: "Văn phòng Ủy ban nhân dân"
  short_name: "Văn phòng UBND"
  description: "Tiếp nhận câu hỏi của người dân, doanh nghiệp và điều phối việc trả lời."
"#,
    topics: r#"# Các chủ đề. Mỗi mục cần `id` và `name`; có thể thêm `description`.
- id: thu-tuc-hanh-chinh
  name: "Thủ tục hành chính"
"#,
    sessions: r#"# Các buổi đối thoại (không bắt buộc). Mỗi mục cần `id`, `title` và `date`;
# có thể thêm `channel` và `description`.
- id: doi-thoai-{year}
  title: "Đối thoại trực tuyến năm {year}"
  date: {date}
  channel: online-dialogue
"#,
    record: r#"---
id: "{year}-0001"
title: "Gửi câu hỏi cho cơ quan nhà nước bằng cách nào?"
asked: {date}
asker: {kind: anonymous}
agency: van-phong-ubnd
topics: [thu-tuc-hanh-chinh]
session: doi-thoai-{year}
channel: online-dialogue
status: answered
answered: {date}
answered_by: "Văn phòng Ủy ban nhân dân"
---
Tôi muốn hỏi về một thủ tục hành chính thì gửi câu hỏi ở đâu và bao lâu thì nhận được trả lời?

<!-- answer -->

Đây là câu hỏi mẫu do `hoidap init` tạo ra. Bạn có thể sửa hoặc xóa tệp này.

Người dân và doanh nghiệp gửi câu hỏi qua cổng thông tin, thư điện tử hoặc trực tiếp tại bộ phận
một cửa. Câu trả lời được công bố trên trang này khi cơ quan có thẩm quyền trả lời xong.
"#,
};

const EN: Texts = Texts {
    title: "Questions and answers",
    site_toml: r#"# Settings of the question-and-answer site. Lines starting with # are comments.

# The site's name, shown on every page and in the browser's title bar.
title = {title}
# A short description, for search engines and shared links.
description = "Questions from citizens and businesses, and the answers of public agencies."
# The full address where the site is published (it may have a path, such as
# https://example.gov.vn/hoi-dap/). Replace this placeholder before publishing.
base_url = {base_url}
# The language of the interface, dates and sorting: "vi" or "en".
language = "{language}"
# Records per list page.
paginate = 20

# The answer deadline, used by the statistics page.
[deadline]
# Days allowed for an answer.
days = 15
# "working" (Monday to Friday) or "calendar".
kind = "working"
# Days off besides weekends (list them: official holidays change from year to year).
holidays = []

# No rate is published for an agency or topic with fewer records than this.
[stats]
min_records = 5

# Where citizens ask, shown on the home page and at the foot of every page. Remove the # to use.
# `kind`: "hotline" (needs `phone`), "web" or "social" (need `url`); `note` is optional.
# [[channels]]
# name = "Hotline"
# kind = "hotline"
# phone = "1022"
# note = "7:30 to 17:00, Monday to Friday."
#
# [[channels]]
# name = "Online feedback form"
# kind = "web"
# url = "https://example.gov.vn/feedback/"
"#,
    agencies: r#"# The agencies that answer. Each entry needs an `id` (lower-case ASCII letters, digits
# and -) and a `name`; it may add `short_name`, `parent` (another agency's id), `url` and
# `description`.
- id: city-office
  name: "City Hall Office"
  short_name: "City Office"
  description: "Receives questions from citizens and businesses and sees that they are answered."
"#,
    topics: r#"# The topics. Each entry needs an `id` and a `name`; it may add a `description`.
- id: public-services
  name: "Public services"
"#,
    sessions: r#"# Dialogue sessions (optional). Each entry needs an `id`, a `title` and a `date`;
# it may add `channel` and `description`.
- id: online-dialogue-{year}
  title: "Online dialogue {year}"
  date: {date}
  channel: online-dialogue
"#,
    record: r#"---
id: "{year}-0001"
title: "How do I send a question to a public agency?"
asked: {date}
asker: {kind: anonymous}
agency: city-office
topics: [public-services]
session: online-dialogue-{year}
channel: online-dialogue
status: answered
answered: {date}
answered_by: "City Hall Office"
---
Where can I send a question about an administrative procedure, and how long does an answer take?

<!-- answer -->

This is an example record written by `hoidap init`. Edit it or delete it.

Citizens and businesses send questions through the portal, by e-mail or at the one-stop desk.
The answer is published on this site once the agency in charge has answered.
"#,
};

pub const GITIGNORE: &str =
    "# Built by hoidap; never commit them.\n/public/\n/.public.hoidap-*/\n/.hoidap/\n";

/// Checks every pull request and publishes `main` to GitHub Pages, with a prebuilt hoidap
/// downloaded from a release (see [`super::github_workflow`]).
pub const GITHUB_WORKFLOW: &str = r#"# Checks every pull request and publishes the main branch to GitHub Pages.
# Once: in the repository's Settings → Pages, set "Source" to "GitHub Actions".
name: hoidap

on:
  pull_request:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read

env:
  # The hoidap release the site is built with, downloaded from the releases of the hoidap
  # repository. If the address is a placeholder (example.invalid), REPLACE IT with that
  # repository's address (https://github.com/<owner>/hoidap).
  HOIDAP_VERSION: "{version}"
  HOIDAP_REPOSITORY: "{repository}"
  # To pin the exact binary, put its SHA-256 here (from the release's SHA256SUMS); while
  # empty, the download is checked against the checksum published beside it.
  HOIDAP_SHA256: ""

jobs:
  site:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v6
      - name: Install hoidap
        run: |
          archive="hoidap-$HOIDAP_VERSION-x86_64-unknown-linux-musl.tar.gz"
          url="$HOIDAP_REPOSITORY/releases/download/v$HOIDAP_VERSION/$archive"
          cd "$RUNNER_TEMP"
          curl --fail --silent --show-error --location --retry 3 --output "$archive" "$url"
          if [ -z "$HOIDAP_SHA256" ]; then
            curl --fail --silent --show-error --location --retry 3 --output "$archive.sha256" "$url.sha256"
            HOIDAP_SHA256=$(cut -d' ' -f1 "$archive.sha256")
          fi
          echo "$HOIDAP_SHA256  $archive" | sha256sum --check --strict
          tar -xzf "$archive"
          echo "$RUNNER_TEMP/${archive%.tar.gz}" >> "$GITHUB_PATH"
      - name: Check the content
        # Problems are shown on the lines of the pull request.
        run: |
          hoidap --version
          hoidap check --format github
      - name: Set up Pages
        id: pages
        if: github.event_name != 'pull_request'
        uses: actions/configure-pages@v6
      - name: Build
        if: github.event_name != 'pull_request'
        run: hoidap build --base-url "${{ steps.pages.outputs.base_url }}/"
      - name: Upload the site
        if: github.event_name != 'pull_request'
        uses: actions/upload-pages-artifact@v5
        with:
          path: public

  deploy:
    if: github.event_name != 'pull_request' && github.ref == 'refs/heads/main'
    needs: site
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    concurrency:
      group: pages
      cancel-in-progress: false
    steps:
      - name: Publish to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v5
"#;
