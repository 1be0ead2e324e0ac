#!/usr/bin/env bash
# Tests the npm package @entitle/core as a user gets it: builds it (scripts/build-core-js.sh, which
# prints and checks its size budget), packs it with `npm pack`, installs the tarball into
# core/js/node_modules (where the tests and examples import `@entitle/core` from), then runs the
# shared case table and the package's own tests with Node's test runner and type-checks a TypeScript
# caller against the generated declarations.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/build-core-js.sh core/js/pkg
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
tarball="$(cd core/js/pkg && npm pack --silent --pack-destination "$tmp")"
echo "npm pack: $tarball ($(stat -c %s "$tmp/$tarball") bytes)"
rm -rf core/js/node_modules
(cd core/js && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$tmp/$tarball")
node --test core/js/tests/
# TypeScript from end2end's packages (installed by scripts/tools.sh test).
node end2end/node_modules/typescript/bin/tsc --noEmit --strict --module nodenext --moduleResolution nodenext \
  --target es2022 --lib es2022,dom core/js/tests/typed.ts
echo "typescript: core/js/tests/typed.ts checks against the generated declarations"
