#!/usr/bin/env bash
# Markup quality: builds the example site and runs the Nu HTML Checker (npm package vnu-jar,
# run with the machine's Java) over every HTML page; exits non-zero on any error.
#
#   bench/validate-html.sh            # the example site in this repository
#   bench/validate-html.sh SITE_DIR   # another site
#
# Needs: java (11 or newer), npm, cargo. The checker is installed once into target/tools/.
set -euo pipefail
cd "$(dirname "$0")/.."

VNU_VERSION=26.9.27
site=${1:-.}
tools=target/tools/vnu-$VNU_VERSION
jar=$tools/node_modules/vnu-jar/build/dist/vnu.jar

if [ ! -f "$jar" ]; then
  echo "installing vnu-jar@$VNU_VERSION into $tools"
  mkdir -p "$tools"
  npm install --no-audit --no-fund --loglevel=error --prefix "$tools" "vnu-jar@$VNU_VERSION"
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --quiet --locked -- build --root "$site" --output "$out/public"
pages=$(find "$out/public" -name '*.html' | wc -l)
if java -jar "$jar" --errors-only --skip-non-html "$out/public"; then
  echo "Nu HTML Checker: 0 errors in $pages HTML files"
else
  echo "Nu HTML Checker found errors (above) in the build of $site" >&2
  exit 1
fi
