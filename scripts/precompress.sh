#!/usr/bin/env bash
# Writes .br and .gz beside every text/wasm file of the built app, then prints the brotli size of what the
# browser loads first and of every lazily loaded chunk, and fails when the first load is above the budget.
#
# The first load is index.html, every file it names (CSS, icon, boot.js, the JS glue, the main wasm) and the
# split loader the glue imports (__wasm_split.js). Route chunks (`split_*.wasm`) and chunks shared between
# routes (`chunk_*.wasm`) are fetched when a route needs them and are listed separately.
set -euo pipefail
DIST="${1:?usage: precompress.sh DIST_DIR}"
# 200 KB of brotli for the first load (issue #2, README "Performance").
BUDGET_BYTES="${ENTITLE_FIRST_LOAD_BUDGET:-200000}"

while IFS= read -r -d '' f; do
  brotli -f -q 11 -o "$f.br" "$f"
  gzip -f -k -9 -n "$f"
done < <(find "$DIST" -type f \( -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.wasm' \
  -o -name '*.svg' -o -name '*.json' -o -name '*.webmanifest' -o -name 'pack_*.bin' \) -print0)

br_size() { stat -c %s "$DIST/$1.br" 2>/dev/null || brotli -c -q 11 "$DIST/$1" | wc -c; }

first_load=("index.html")
while IFS= read -r ref; do
  first_load+=("${ref#/}")
done < <(grep -oE '(href|src)="/[^"]+"' "$DIST/index.html" | sed -E 's/^[a-z-]+="(.*)"$/\1/' | sort -u)
assets_dir="$(dirname "${first_load[1]}")"
for extra in boot.js packs.js __wasm_split.js; do
  if [ -f "$DIST/$assets_dir/$extra" ] && [[ ! " ${first_load[*]} " =~ " $assets_dir/$extra " ]]; then
    first_load+=("$assets_dir/$extra")
  fi
done

total=0
printf '%-72s %9s %9s\n' "first-load file" "raw B" "brotli B"
for f in "${first_load[@]}"; do
  [ -f "$DIST/$f" ] || { echo "index.html references a missing file: $f" >&2; exit 1; }
  raw=$(stat -c %s "$DIST/$f")
  br=$(br_size "$f")
  total=$((total + br))
  printf '%-72s %9d %9d\n' "$f" "$raw" "$br"
done
printf '%-72s %9s %9d  (budget %d)\n' "FIRST LOAD" "" "$total" "$BUDGET_BYTES"

lazy=0
printf '\n%-72s %9s %9s\n' "lazily loaded chunk" "raw B" "brotli B"
while IFS= read -r f; do
  f="${f#"$DIST"/}"
  raw=$(stat -c %s "$DIST/$f")
  br=$(br_size "$f")
  lazy=$((lazy + br))
  printf '%-72s %9d %9d\n' "$f" "$raw" "$br"
done < <(find "$DIST/$assets_dir" -maxdepth 1 -type f \( -name 'split_*.wasm' -o -name 'chunk_*.wasm' \) | sort)
printf '%-72s %9s %9d\n' "ALL CHUNKS" "" "$lazy"
printf '%-72s %9s %9d\n' "WHOLE APP (first load + every chunk)" "" "$((total + lazy))"

printf '\n%-72s %9s %9s\n' "route pack (a page that starts on the route)" "raw B" "brotli B"
while IFS= read -r f; do
  f="${f#"$DIST"/}"
  printf '%-72s %9d %9d\n' "$f" "$(stat -c %s "$DIST/$f")" "$(br_size "$f")"
done < <(find "$DIST/$assets_dir" -maxdepth 1 -type f -name 'pack_*.bin' | sort)

if [ "$total" -gt "$BUDGET_BYTES" ]; then
  echo "size budget exceeded: the first load is $total bytes of brotli, the budget is $BUDGET_BYTES" >&2
  exit 1
fi
