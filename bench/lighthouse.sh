#!/usr/bin/env bash
# Lighthouse (mobile emulation, the default) on the home page, a record page, the search page
# and the search page opened with a query, of the example build, served on 127.0.0.1; prints each category's score and the audits that lost points, and
# exits non-zero when a category scores below MIN (default 95).
#
#   bench/lighthouse.sh [RECORD_ID]
#
# Needs node, npm, python3 (the file server) and chromium (or CHROME_PATH=/path). Lighthouse
# (about 190 MB of npm packages) is installed once into target/tools/. The performance score
# depends on the machine's load: on a busy 2-core machine the simulated main thread is slowed
# down further, so run it on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."

LH_VERSION=13.5.0
MIN=${MIN:-95}
record=${1:-2014-0007}
tools=target/tools/lighthouse-$LH_VERSION
lh=$tools/node_modules/lighthouse/cli/index.js
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

if [ ! -f "$lh" ]; then
  echo "installing lighthouse@$LH_VERSION into $tools"
  mkdir -p "$tools"
  npm install --no-audit --no-fund --loglevel=error --prefix "$tools" "lighthouse@$LH_VERSION"
fi

out=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$out"; }
trap cleanup EXIT
cargo run --quiet --locked -- build --output "$out/public"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$out/public" >/dev/null 2>&1 &
server=$!
sleep 1

status=0
for page in "" "records/$record/" "search/" "search/?q=giay+phep"; do
  node "$lh" "http://127.0.0.1:$port/$page" --quiet --output=json --output-path="$out/report.json" \
    --chrome-flags="--headless=new --no-sandbox"
  python3 - "$out/report.json" "/$page" "$MIN" <<'PY' || status=1
import json, sys
report, page, minimum = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
print(page, " ".join(f"{k} {v}" for k, v in scores.items()))
for key, cat in report["categories"].items():
    for ref in cat["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            print(f"  {key}: {ref['id']} {audit['score']:.2f} {audit.get('displayValue', '')}")
sys.exit(0 if min(scores.values()) >= minimum else 1)
PY
done
exit $status
