#!/usr/bin/env python3
"""Packs each route's wasm modules into one file, so that opening the portal on a route costs one request.

wasm-split cuts the app into a module per lazily loaded route plus a chunk for every set of routes that
share code: opening the catalog needs ~130 files, the renewal quote ~210, most under 1 KB. Fetched one by
one (HTTP/1.1 allows six at a time) that is a chain of ~25 round trips before the route can render, and
small files compress badly. A route's pack holds its module and every chunk it needs, in one brotli
stream (47 KB instead of 162 KB for the catalog).

    pack-routes.py OUT_DIR ROUTES_RS

Reads the routes (path -> route type) from ROUTES_RS (app/src/lib.rs) and the loader wasm-split wrote
(OUT_DIR/__wasm_split.js), and each route's group from `grouped_route!` in app/src/pages; writes
OUT_DIR/pack_<group>.bin, rewrites the loader so every module is
asked of public/packs.js (the pack when the page started on that route, else the file), and writes the
path -> pack table into OUT_DIR/packs.js.

A pack is: u32 count, then per module (u8 name length, name, u32 size), then the modules' bytes in that
order; numbers little-endian.
"""
import json
import re
import struct
import sys
from pathlib import Path

out = Path(sys.argv[1])
routes_rs = Path(sys.argv[2]).read_text()
loader_path = out / "__wasm_split.js"
loader = loader_path.read_text()


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# Route loaders: export const __wasm_split_load_<name> = wrapAsyncCb(makeLoad(() => { ...fetch("./<file>")... }, [<deps>]));
LOAD = re.compile(
    r'export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(\(\) => \{\s*'
    r'const src = fetch\(new URL\("\./([^"]+)", import\.meta\.url\)\);.*?\n, \[([^\]]*)\]\)\);',
    re.S,
)
CHUNK = re.compile(r'const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\./([^"]+)"')
chunk_files = dict(CHUNK.findall(loader))
loaders = {}
for name, file, deps in LOAD.findall(loader):
    needed = [d.strip() for d in deps.split(",") if d.strip()]
    missing = [d for d in needed if d not in chunk_files]
    if missing:
        sys.exit(f"pack-routes: {name} needs {missing}, which the loader does not define")
    loaders[name] = [file] + [chunk_files[d] for d in needed]
if not loaders:
    sys.exit("pack-routes: no route loader found in __wasm_split.js (did wasm-split change its output?)")

ROUTE = re.compile(r'path=path!\("([^"]*)"\)\s+view=\{Lazy::<[\w:]*::(\w+)>::new\(\)\}')
# Which group's module holds a route: `grouped_route!(group, RouteType, ...)` in app/src/pages.
GROUPED = re.compile(r"grouped_route!\(\s*(\w+),\s*(\w+),")
group_of = {}
for source in Path(sys.argv[2]).parent.joinpath("pages").rglob("*.rs"):
    for group, route_type in GROUPED.findall(source.read_text()):
        group_of[route_type] = group
table = []
packed = set()
for path, route_type in ROUTE.findall(routes_rs):
    group = group_of.get(route_type)
    if group not in loaders:
        sys.exit(f"pack-routes: route {path} ({route_type}) is in group {group}, which has no loader")
    pack = f"pack_{group}.bin"
    if group not in packed:
        files = loaders[group]
        header = struct.pack("<I", len(files))
        body = b""
        for f in files:
            data = (out / f).read_bytes()
            header += struct.pack("<B", len(f)) + f.encode() + struct.pack("<I", len(data))
            body += data
        (out / pack).write_bytes(header + body)
        packed.add(group)
    if not re.fullmatch(r"[a-z0-9/:_-]*", path):
        sys.exit(f"pack-routes: route {path} has characters the pattern does not escape")
    # "/renewals/:quote" -> ^/renewals/[^/]+/?$
    pattern = "^" + re.sub(r":\w+", "[^/]+", path) + "/?$"
    table.append([pattern, pack])
# Sign-in returns only to the app's own screens (entitle_core::navigation): that list must be the
# router's, less sign-in and password reset.
navigation = (Path(sys.argv[2]).resolve().parents[2] / "core/src/navigation.rs").read_text()
def core_list(name):
    block = re.search(rf"pub const {name}: &\[&str\] = &\[(.*?)\];", navigation, re.S)
    if not block:
        sys.exit(f"pack-routes: {name} not found in core/src/navigation.rs")
    return set(re.findall(r'"([^"]*)"', block.group(1)))
routes = {path for path, _ in ROUTE.findall(routes_rs)}
screens, skipped = core_list("SCREENS"), core_list("NOT_RETURNED_TO")
if routes != screens | skipped or screens & skipped:
    sys.exit(f"pack-routes: core/src/navigation.rs does not list the router's screens: "
             f"missing {sorted(routes - screens - skipped)}, unknown {sorted((screens | skipped) - routes)}")
if packed != set(loaders):
    sys.exit(f"pack-routes: loaders {sorted(set(loaders) - packed)} serve no route of {sys.argv[2]}")

# Every module is asked of packs.js; the comments (which routes share a chunk) are dropped: they are
# most of the loader's bytes, and the loader is part of the first load.
loader = re.sub(r"/\*[^*]*\*/\n", "", loader)
loader, n = re.subn(r'fetch\(new URL\("\./([^"]+)", import\.meta\.url\)\)', r'module("\1")', loader)
if n != len(chunk_files) + len(loaders):
    sys.exit(f"pack-routes: rewrote {n} fetches, expected {len(chunk_files) + len(loaders)}")
loader, m = re.subn(r"WebAssembly\.instantiateStreaming\(src, imports\)", "instantiate(src, imports)", loader)
if m != n:
    sys.exit(f"pack-routes: rewrote {m} instantiations, expected {n}")
loader_path.write_text('import { module, instantiate } from "./packs.js";\n' + loader)

packs_js = out / "packs.js"
text = packs_js.read_text()
if "/*@ROUTES@*/[]" not in text:
    sys.exit("pack-routes: packs.js has no /*@ROUTES@*/[] placeholder")
packs_js.write_text(text.replace("/*@ROUTES@*/[]", json.dumps(table, separators=(",", ":"))))
print(f"pack-routes: {len(table)} routes, {len(packed)} packs, {len(chunk_files)} shared chunks")
