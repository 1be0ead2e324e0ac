#!/usr/bin/env bash
# Entitle's one entry point for people and CI.
#
#   ./dev.sh run    build the app and the server, then serve the portal with demo data on
#                   http://127.0.0.1:3000 (SQLite file under ./data/)
#   ./dev.sh test   every check: fmt, clippy, native tests (SQLite and PostgreSQL, with the kill -9 crash
#                   test), the server tests again two years ahead (faketime), core tests on wasm32 in
#                   headless Chromium, the npm package @entitle/core (size budget, npm pack, Node
#                   tests), the app's size budget, API fuzzing (schemathesis) and the Playwright
#                   end-to-end suite
#   ./dev.sh bench  the benchmark: release server on a 50,000-part catalog and 10,000 customer sites, on
#                   SQLite and PostgreSQL; prints the table README.md keeps (scripts/bench.py), then the
#                   crash test with 20 kills per backend
#   ./dev.sh screenshots [folder]
#                   every screen at 1280 and 390 px wide, as PNGs in ./screenshots (not committed)
#
# Both install whatever is missing first (scripts/tools.sh) and skip what is already there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
# shellcheck source=scripts/tools.sh
source scripts/tools.sh

# Each step says how long the command has run so far (bash's SECONDS), so a slow CI run shows where.
step() { printf '\n\033[1;32m==> [%dm%02ds] %s\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

build_app() {
  step "building the browser app (wasm-release profile, split into route chunks) and checking its size budget"
  cargo fetch --locked --quiet
  bash scripts/build-app.sh app/dist
}

cmd_run() {
  ensure_tools run
  build_app
  step "building the server (release)"
  cargo build --locked --release -p entitle-server
  step "serving Entitle on http://${ENTITLE_ADDR:-127.0.0.1:3000} (Ctrl-C stops it)"
  ENTITLE_DEMO="${ENTITLE_DEMO:-1}" ENTITLE_SITE_DIR="${ENTITLE_SITE_DIR:-app/dist}" \
    exec target/release/entitle-server "$@"
}

cmd_test() {
  ensure_tools test
  step "cargo fmt --check"
  cargo fmt --all -- --check
  step "cargo clippy (native: core, server; wasm32: app)"
  cargo clippy --locked --all-targets -- -D warnings
  cargo clippy --locked -p entitle-app --target wasm32-unknown-unknown -- -D warnings
  cargo clippy --locked -p entitle-core-js --all-targets -- -D warnings
  step "rustdoc of entitle-core and entitle-core-js (warnings are errors)"
  RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps -p entitle-core -p entitle-core-js
  step "native tests (SQLite and PostgreSQL)"
  cargo test --locked
  # entitle-core without its optional `serde` feature, as a Rust user who only prices and validates gets it.
  cargo test --locked -p entitle-core --no-default-features
  cargo test --locked -p entitle-core-js
  step "server tests again with the wall clock two years ahead (faketime): no test may depend on the date"
  bash scripts/future-clock.sh +730d
  step "entitle-core tests on wasm32 in headless Chromium"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test --locked -p entitle-core --lib --target wasm32-unknown-unknown
  step "npm package @entitle/core: build and size budget, npm pack, the shared case table in Node, TypeScript check"
  bash scripts/test-core-js.sh
  build_app
  cargo build --locked -p entitle-server
  step "API fuzzing: schemathesis over the OpenAPI document, signed out, as a buyer and as an admin, on both databases"
  python3 scripts/fuzz.py target/debug/entitle-server 5
  step "end-to-end tests (Playwright, Chromium)"
  (cd end2end && npx playwright test)
  echo
  echo "All checks passed in $((SECONDS / 60))m$((SECONDS % 60))s."
}

cmd_bench() {
  ensure_tools bench
  build_app
  step "building the release server and the load tool"
  cargo build --locked --release -p entitle-server --bin entitle-server --example load
  step "benchmark: SQLite, then PostgreSQL (about 10 minutes)"
  python3 scripts/bench.py "$@"
  step "Lighthouse (mobile): catalog search, renewal quote and checkout review, median of 3"
  node scripts/lighthouse.mjs target/release/entitle-server 3
  step "API fuzzing: schemathesis, 30 cases per operation and phase (over 5,000 requests per backend)"
  python3 scripts/fuzz.py target/release/entitle-server 30
  step "crash test: 20 kills of the server under order load, on each backend"
  ENTITLE_CRASH_KILLS=20 cargo test --locked --release -p entitle-server --test crash -- --nocapture
}

cmd_screenshots() {
  ensure_tools test
  build_app
  step "building the server (debug) and taking screenshots of every screen at 1280 and 390 px"
  cargo build --locked -p entitle-server
  node scripts/screenshots.mjs "${1:-$ROOT/screenshots}"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  screenshots) shift; cmd_screenshots "$@" ;;
  tools) shift; ensure_tools "${1:-test}" ;;
  *) echo "usage: ./dev.sh run|test|bench|screenshots|tools" >&2; exit 2 ;;
esac
