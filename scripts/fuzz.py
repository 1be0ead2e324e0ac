#!/usr/bin/env python3
"""API fuzzing with schemathesis over /api/v1/openapi.json, on SQLite and PostgreSQL.

    python3 scripts/fuzz.py SERVER_BINARY [EXAMPLES]

For each backend: starts the server with the demo data, then runs schemathesis signed out, as a buyer
(primary@nusantara.example) and as an admin, EXAMPLES cases per operation and phase (default 5; the
benchmark runs 30). The checks are the document's promises: no server error, every status code,
content type, header and body as documented. Exits non-zero on any failure, and when the server
logged a panic.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_ADMIN = os.environ.get("ENTITLE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The demo administrator's authenticator key (server/src/db/demo/customers.rs): administrators sign in
# with a second step.
DEMO_ADMIN_TOTP_SECRET = "ENTITLEDEMOADMINTOTPKEY234567ABC"


def totp(secret, at):
    """The RFC 6238 code (HMAC-SHA-1, 6 digits, 30-second steps) of `secret` at unix time `at`."""
    mac = hmac.new(base64.b32decode(secret), struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


def post_json(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(),
                                 headers={"content-type": "application/json"}, method="POST")
    return urllib.request.urlopen(req)


def sign_in(base, email):
    with post_json(base + "/api/v1/session", {"email": email, "password": "entitle-demo"}) as res:
        if res.status == 202:
            challenge = json.loads(res.read())["challenge"]
            res = post_json(base + "/api/v1/session/second-factor",
                            {"challenge": challenge, "code": totp(DEMO_ADMIN_TOTP_SECRET, time.time())})
            cookie = res.headers["set-cookie"].split(";")[0]
            return cookie, json.loads(res.read())["session"]["csrf_token"]
        cookie = res.headers["set-cookie"].split(";")[0]
        return cookie, json.loads(res.read())["csrf_token"]


def run(binary, backend, examples, workdir):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    if backend == "sqlite":
        url = f"sqlite://{workdir}/fuzz.db"
    else:
        name = f"entitle_fuzz_{os.getpid()}"
        subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True,
                       stderr=subprocess.DEVNULL)
        subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {name}"], check=True)
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    log_path = os.path.join(workdir, f"server-{backend}.log")
    env = dict(os.environ, DATABASE_URL=url, ENTITLE_ADDR=f"127.0.0.1:{port}", ENTITLE_DEMO="1",
               ENTITLE_ENGINE="0", ENTITLE_SITE_DIR="/nonexistent", RUST_LOG="info",
               # Every request comes from 127.0.0.1: the per-address sign-in limit is for the tests.
               ENTITLE_SIGN_INS_PER_MINUTE="100000", ENTITLE_RESETS_PER_MINUTE="100000")
    with open(log_path, "w") as log:
        server = subprocess.Popen([binary], env=env, stdout=log, stderr=subprocess.STDOUT)
    failed = []
    generated = 0
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/api/v1/health", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        for who in [None, "primary@nusantara.example", "admin@entitle.example"]:
            headers = []
            if who:
                cookie, csrf = sign_in(base, who)
                headers = ["-H", f"Cookie: {cookie}", "-H", f"X-CSRF-Token: {csrf}"]
            cmd = ["schemathesis", "run", base + "/api/v1/openapi.json", "--checks", CHECKS,
                   "--max-examples", str(examples), "--seed", "1", "--no-color", *headers]
            out = subprocess.run(cmd, capture_output=True, text=True,
                                 env=dict(os.environ, SCHEMATHESIS_HOOKS="fuzz_hooks",
                                          PYTHONPATH=os.path.join(ROOT, "scripts")))
            m = re.search(r"(\d+) generated", out.stdout)
            n = int(m.group(1)) if m else 0
            generated += n
            label = who or "signed out"
            print(f"[fuzz] {backend}, {label}: {n} requests, exit {out.returncode}", flush=True)
            if out.returncode != 0:
                failed.append(f"{backend}, {label}")
                print(out.stdout[-6000:])
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        if backend == "postgres":
            subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)"],
                           check=False)
    with open(log_path, errors="replace") as f:
        if "panicked" in f.read():
            failed.append(f"{backend}: the server panicked (see its log)")
    return generated, failed


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    examples = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    total, failures = 0, []
    with tempfile.TemporaryDirectory(prefix="entitle-fuzz-") as workdir:
        for backend in ["sqlite", "postgres"]:
            n, failed = run(binary, backend, examples, workdir)
            total += n
            failures += failed
    print(f"[fuzz] {total} requests in all; {len(failures)} runs failed")
    if failures:
        raise SystemExit("fuzzing found problems: " + "; ".join(failures))


if __name__ == "__main__":
    main()
