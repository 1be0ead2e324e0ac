#!/usr/bin/env bash
# Builds the npm package @entitle/core (entitle-core's rules for JavaScript) into core/js/pkg:
#
#   1. cargo builds `entitle-core-js` for wasm32 with the `wasm-release` profile (small beats fast);
#   2. wasm-bindgen writes the ES-module glue and the TypeScript declarations — the types come from the
#      Rust definitions in core/js/src/types.rs (tsify) and core's vocabularies, never written by hand;
#   3. wasm-opt (npm binaryen, never Debian's) shrinks the module;
#   4. the package's entry point (core/js/package/index.js, which loads the module in Node and in
#      browsers), its README and package.json (version from core/js/Cargo.toml) are added;
#   5. the size of what a user downloads (wasm + JS, brotli) is printed and checked against the budget.
#
# Then `cd core/js/pkg && npm pack` gives the tarball.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG="${1:-$ROOT/core/js/pkg}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
NAME=entitle_core_js
# 120 KB of brotli for the module and its JavaScript (issue #16).
BUDGET_BYTES="${ENTITLE_CORE_JS_BUDGET:-120000}"
WASM_OPT="$ROOT/tools/node_modules/.bin/wasm-opt"

# RUSTFLAGS replaces .cargo/config.toml's wasm32 flags, which are the app's (its relocations for
# wasm-split would double this module's size). Short source paths: panic locations keep file names,
# not this machine's directories.
flags="--remap-path-prefix=$ROOT/="
for src in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  flags="$flags --remap-path-prefix=$src="
done
RUSTFLAGS="$flags" \
  cargo build --locked --quiet -p entitle-core-js --lib --target wasm32-unknown-unknown --profile wasm-release

rm -rf "$PKG"
mkdir -p "$PKG"
wasm-bindgen --target web --out-name "$NAME" --out-dir "$PKG" \
  "$TARGET_DIR/wasm32-unknown-unknown/wasm-release/$NAME.wasm"
"$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$PKG/${NAME}_bg.wasm" -o "$PKG/${NAME}_bg.wasm"
rm -f "$PKG/.gitignore"

cp "$ROOT/core/js/package/index.js" "$ROOT/core/js/package/index.d.ts" "$ROOT/core/js/package/README.md" "$PKG/"
cp "$ROOT/core/js/package/LICENSE" "$PKG/"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)"
cat > "$PKG/package.json" <<JSON
{
  "name": "@entitle/core",
  "version": "$version",
  "description": "Entitle's pricing, validation and order-reference rules (the portal's own Rust, as WebAssembly), with TypeScript declarations.",
  "license": "MIT",
  "type": "module",
  "main": "./index.js",
  "types": "./index.d.ts",
  "exports": {
    ".": {
      "types": "./index.d.ts",
      "default": "./index.js"
    },
    "./${NAME}_bg.wasm": "./${NAME}_bg.wasm"
  },
  "files": [
    "index.js",
    "index.d.ts",
    "${NAME}.js",
    "${NAME}.d.ts",
    "${NAME}_bg.wasm",
    "${NAME}_bg.wasm.d.ts",
    "README.md",
    "LICENSE"
  ],
  "sideEffects": false,
  "engines": {
    "node": ">=20"
  }
}
JSON

total=0
printf '%-40s %9s %9s\n' "@entitle/core file" "raw B" "brotli B"
for f in index.js "$NAME.js" "${NAME}_bg.wasm"; do
  raw=$(stat -c %s "$PKG/$f")
  br=$(brotli -c -q 11 "$PKG/$f" | wc -c)
  total=$((total + br))
  printf '%-40s %9d %9d\n' "$f" "$raw" "$br"
done
printf '%-40s %9s %9d  (budget %d)\n' "DOWNLOAD (wasm + JS)" "" "$total" "$BUDGET_BYTES"
if [ "$total" -gt "$BUDGET_BYTES" ]; then
  echo "build-core-js: @entitle/core is $total bytes of brotli, over its budget of $BUDGET_BYTES" >&2
  exit 1
fi
