#!/usr/bin/env bash
# Accessibility: builds the example site and runs axe-core (WCAG 2.1 A and AA rules) in
# headless chromium over every page of its sitemap, plus 404; exits non-zero on any violation.
#
#   bench/a11y.sh            # the example site in this repository
#   bench/a11y.sh SITE_DIR   # another site
#
# Needs: node, npm, chromium (or CHROMIUM=/path), cargo, and playwright-core from
# `npm ci` in tests/browser. axe-core is installed once into target/tools/.
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_VERSION=4.14.1
site=${1:-.}
tools=target/tools/axe-$AXE_VERSION
axe=$tools/node_modules/axe-core/axe.min.js
playwright=tests/browser/node_modules/playwright-core

if [ ! -d "$playwright" ]; then
  echo "playwright-core is missing: run npm ci in tests/browser" >&2
  exit 2
fi
if [ ! -f "$axe" ]; then
  echo "installing axe-core@$AXE_VERSION into $tools"
  mkdir -p "$tools"
  npm install --no-audit --no-fund --loglevel=error --prefix "$tools" "axe-core@$AXE_VERSION"
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --quiet --locked -- build --root "$site" --output "$out/public"
node bench/axe-check.cjs "$out/public" "$axe" "$playwright"
