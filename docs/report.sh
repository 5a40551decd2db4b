#!/usr/bin/env bash
# Rebuilds docs/report.png, the README's picture of `lurescan report`: the example ads and messages of
# datasets/examples (labelled by their id: lure-… or legit-…) and the campaigns test fixture, reported with the
# built-in model and screenshot in headless Chromium (Debian's `chromium`; Thai and Chinese glyphs need
# fonts-thai-tlwg and fonts-wqy-microhei).
#   docs/report.sh [path/to/lurescan]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/lurescan}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/demo.jsonl" <<'PY'
import csv, json, sys
rows = []
for name in ("datasets/examples/postings.jsonl", "datasets/examples/messages.jsonl"):
    rows += [json.loads(line) for line in open(name, encoding="utf-8") if line.strip()]
rows += list(csv.DictReader(open("datasets/examples/examples.csv", encoding="utf-8")))
for r in rows:
    r["label"] = 1 if r["id"].startswith("lure") else 0
rows += [json.loads(line) for line in open("crates/cli/tests/fixtures/campaigns.jsonl", encoding="utf-8") if line.rstrip().endswith("}")]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps({k: v for k, v in r.items() if v not in ("", None)}, ensure_ascii=False) + "\n")
PY
"$bin" report "$tmp/demo.jsonl" -o "$tmp/report.html" --title "lurescan report: example ads and messages" --top 6 --campaigns 5
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$tmp/profile" \
    --window-size=1200,1500 --screenshot="$tmp/report.png" "file://$tmp/report.html" 2>/dev/null
cp "$tmp/report.png" docs/report.png
cp "$tmp/report.html" "${REPORT_HTML:-/dev/null}"
echo "wrote docs/report.png"
