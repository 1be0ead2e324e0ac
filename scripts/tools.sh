#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is already present at the right version.
# Sourced by ./dev.sh; safe to run again (idempotent). Nothing here downloads binaries from outside the
# package registries: Rust tools are built from crates, wasm-opt comes from the npm `binaryen` package and
# Chromium from Debian.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Splits the app into a first-load module and lazily loaded route chunks (Leptos #[lazy_route]); its
# version follows the wasm_split_helpers crate that leptos pulls in (Cargo.lock).
WASM_SPLIT_VERSION=0.2.3
# Must equal the wasm-bindgen crate pinned in Cargo.toml (`=0.2.130`).
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132

log() { printf '\033[1;34m[tools]\033[0m %s\n' "$*" >&2; }

export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"

ensure_rust_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  for c in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$c"; then
      log "adding the $c component"
      rustup component add "$c"
    fi
  done
}

ensure_wasm_split() {
  if ! command -v wasm-split-cli >/dev/null || \
     ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    log "building wasm-split-cli $WASM_SPLIT_VERSION from crates (about 1 minute)"
    cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked
  fi
}

ensure_wasm_bindgen() {
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    log "building wasm-bindgen-cli $WASM_BINDGEN_VERSION from crates (about 2 minutes)"
    # Not --locked: its lock file pins a webpki-roots that no longer resolves.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_debian_packages() {
  local missing=()
  command -v brotli >/dev/null || missing+=(brotli)
  if [ "${1:-}" = "bench" ]; then
    command -v wrk >/dev/null || missing+=(wrk)
    command -v pg_dump >/dev/null || missing+=(postgresql-client)
  fi
  if [ "${1:-}" = "test" ] || [ "${1:-}" = "bench" ]; then
    # The tests' browser, and the benchmark's Lighthouse runs.
    command -v chromium >/dev/null || missing+=(chromium)
  fi
  if [ "${1:-}" = "test" ]; then
    command -v chromedriver >/dev/null || missing+=(chromium-driver)
    command -v faketime >/dev/null || missing+=(faketime)
    command -v pg_dump >/dev/null || missing+=(postgresql-client)
    # The tests read the text of the PDF documents back.
    command -v pdftotext >/dev/null || missing+=(poppler-utils)
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
  fi
}

ensure_binaryen() {
  # npm's binaryen ships wasm-opt as JS+wasm; Debian's older binaryen corrupts wasm-bindgen output.
  # lightningcss (the CSS build step) comes from the same package.json.
  if ! "$ROOT/tools/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION" || \
     ! "$ROOT/tools/node_modules/.bin/lightningcss" --version >/dev/null 2>&1; then
    log "installing npm binaryen@$BINARYEN_VERSION (wasm-opt) and lightningcss (CSS build)"
    (cd "$ROOT/tools" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_end2end_packages() {
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] || \
     [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    log "installing end2end npm packages"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_lighthouse() {
  if [ ! -d "$ROOT/tools/lighthouse/node_modules/lighthouse" ] || \
     [ "$ROOT/tools/lighthouse/package-lock.json" -nt "$ROOT/tools/lighthouse/node_modules/.package-lock.json" ]; then
    log "installing npm lighthouse (the benchmark's Lighthouse runs)"
    (cd "$ROOT/tools/lighthouse" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_smtp_server() {
  if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    log "installing aiosmtpd (the test SMTP server)"
    python3 -m pip install --quiet --disable-pip-version-check 'aiosmtpd==1.4.6'
  fi
}

ensure_schemathesis() {
  if ! schemathesis --version 2>/dev/null | grep -q "4.32.5"; then
    log "installing schemathesis (API fuzzing)"
    python3 -m pip install --quiet --disable-pip-version-check 'schemathesis==4.32.5'
  fi
}

# ensure_tools run|test|bench
ensure_tools() {
  ensure_rust_target
  ensure_debian_packages "${1:-run}"
  ensure_binaryen
  ensure_wasm_bindgen
  ensure_wasm_split
  if [ "${1:-}" = "test" ]; then
    ensure_end2end_packages
    ensure_smtp_server
  fi
  if [ "${1:-}" = "test" ] || [ "${1:-}" = "bench" ]; then
    ensure_schemathesis
  fi
  if [ "${1:-}" = "bench" ]; then
    ensure_lighthouse
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  ensure_tools "${1:-run}"
fi
