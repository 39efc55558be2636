#!/usr/bin/env bash
# Turns a generated hoidap site into an equivalent Hugo site: a page per record, a page per
# agency, topic and session (taxonomies), a list per year (sections), paginated lists of 20,
# feeds and a sitemap (Hugo's defaults), and a minimal layout of our own.
#
# Usage: bench/hugo.sh SITE_DIR HUGO_DIR
# Then time:  hugo --source HUGO_DIR --quiet
set -euo pipefail

src=${1:?usage: bench/hugo.sh SITE_DIR HUGO_DIR}
dst=${2:?usage: bench/hugo.sh SITE_DIR HUGO_DIR}
rm -rf "$dst"
mkdir -p "$dst/content" "$dst/layouts/_default"

cat > "$dst/config.toml" <<'EOF'
baseURL = "https://hoidap.example.gov.vn/"
languageCode = "vi"
title = "Hỏi đáp Hải Vân"
paginate = 20
[taxonomies]
agency = "agencies"
topic = "topics"
session = "sessions"
EOF

# Records: Hugo's own field names for the date and the taxonomies; the rest is kept as params.
cp -r "$src/content/records" "$dst/content/records"
find "$dst/content/records" -name '*.md' -print0 | xargs -0 -n 2000 sed -i \
    -e '1,/^---$/{s/^asked: /date: /;s/^agency: \(.*\)$/agencies: [\1]/;s/^session: \(.*\)$/sessions: [\1]/}'
printf -- '---\ntitle: "Tất cả câu hỏi"\n---\n' > "$dst/content/records/_index.md"
for year in "$dst"/content/records/*/; do
    y=$(basename "$year")
    printf -- '---\ntitle: "Năm %s"\n---\n' "$y" > "$year/_index.md"
done

# Term pages with their names, from the registries (`- id:` then `  name:` or `  title:`).
terms() { # registry, taxonomy
    awk -v dir="$dst/content/$2" '
        /^- id: / { id = $3 }
        /^  (name|title): / && id != "" {
            sub(/^  (name|title): /, "")
            system("mkdir -p " dir "/" id)
            print "---\ntitle: " $0 "\n---" > (dir "/" id "/_index.md")
            close(dir "/" id "/_index.md")
            id = ""
        }' "$src/content/$1"
}
terms agencies.yaml agencies
terms topics.yaml topics
terms sessions.yaml sessions

L="$dst/layouts/_default"
cat > "$L/baseof.html" <<'EOF'
<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Title }} · {{ site.Title }}{{ end }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "/agencies/" | relURL }}">Cơ quan</a> <a href="{{ "/topics/" | relURL }}">Lĩnh vực</a>
<a href="{{ "/sessions/" | relURL }}">Đối thoại</a> <a href="{{ "/records/" | relURL }}">Theo năm</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
EOF
cat > "$L/single.html" <<'EOF'
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p>Hỏi ngày {{ .Date.Format "02/01/2006" }} · {{ .Params.status }}
{{ with .Params.answered }} · trả lời ngày {{ . }}{{ end }}</p>
<p>{{ range .GetTerms "agencies" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}
{{ range .GetTerms "topics" }} · <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
{{ .Content }}
{{ with .Params.answered_by }}<p>{{ . }}</p>{{ end }}
</article>
{{ end }}
EOF
cat > "$L/list.html" <<'EOF'
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .RegularPagesRecursive }}
<ol>
{{ range $pager.Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "02/01/2006" }}</time>
<p>{{ .Summary | plainify | truncate 200 }}</p></li>
{{ end }}
</ol>
{{ template "_internal/pagination.html" . }}
{{ end }}
EOF
cat > "$L/terms.html" <<'EOF'
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
EOF
cat > "$dst/layouts/index.html" <<'EOF'
{{ define "main" }}
<h1>{{ site.Title }}</h1>
<ol>{{ range first 20 (where site.RegularPages "Section" "records") }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>
{{ end }}
EOF
echo "hugo site: $dst"
