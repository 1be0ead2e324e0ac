#!/usr/bin/env bash
# Writes .br and .gz beside every text/wasm file of the built app, then prints the brotli size of what the
# browser loads first (index.html and the CSS, JS and WASM it references) and fails above the budget.
set -euo pipefail
DIST="${1:?usage: precompress.sh DIST_DIR}"
# 200 KB of brotli for the first load (issue #2, README "Performance").
BUDGET_BYTES="${ENTITLE_FIRST_LOAD_BUDGET:-200000}"

shopt -s nullglob
for f in "$DIST"/*.{html,js,css,wasm,svg,json,webmanifest}; do
  brotli -f -q 11 -o "$f.br" "$f"
  gzip -f -k -9 -n "$f"
done

# What index.html makes the browser fetch at start: every local href/src/data-js/data-wasm it names.
first_load=("index.html")
while IFS= read -r ref; do
  first_load+=("${ref#/}")
done < <(grep -oE '(href|src|data-js|data-wasm)="/[^"]+"' "$DIST/index.html" | sed -E 's/^[a-z-]+="(.*)"$/\1/' | sort -u)

total=0
printf '%-48s %10s %10s\n' "first-load file" "raw B" "brotli B"
for f in "${first_load[@]}"; do
  [ -f "$DIST/$f" ] || { echo "index.html references a missing file: $f" >&2; exit 1; }
  raw=$(stat -c %s "$DIST/$f")
  br=$(stat -c %s "$DIST/$f.br" 2>/dev/null || brotli -c -q 11 "$DIST/$f" | wc -c)
  total=$((total + br))
  printf '%-48s %10d %10d\n' "$f" "$raw" "$br"
done
printf '%-48s %10s %10d  (budget %d)\n' "TOTAL" "" "$total" "$BUDGET_BYTES"
if [ "$total" -gt "$BUDGET_BYTES" ]; then
  echo "size budget exceeded: the first load is $total bytes of brotli, the budget is $BUDGET_BYTES" >&2
  exit 1
fi
