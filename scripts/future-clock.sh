#!/usr/bin/env bash
# Runs every entitle-server test binary again with the operating system's clock moved two years ahead
# (Debian's faketime). The tests set the server's Clock themselves, so they must pass whatever the
# calendar says; a date written into a test or a fixture that the server compares with the wall clock
# fails here. cargo itself stalls under faketime, so cargo only builds and lists the binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
AHEAD="${1:-+730d}"
# The same `cargo test` as the test command's native run (the default members, not `-p`): the same
# features, so the binaries it built are reused instead of compiling the server's dependencies again.
mapfile -t bins < <(cargo test --locked --no-run --message-format=json 2>/dev/null |
  python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if (m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]
            and "entitle-server" in m["package_id"]):
        print(m["executable"])')
if [ "${#bins[@]}" -eq 0 ]; then
  echo "no entitle-server test binaries found" >&2
  exit 1
fi
for bin in "${bins[@]}"; do
  echo "--- $(basename "$bin") under faketime $AHEAD"
  faketime -f "$AHEAD" "$bin" --quiet
done
