#!/usr/bin/env bash
# Load on `cme serve`: a demo register of CHILDREN children (default 100000),
# USERS signed-in caseworker sessions (default 50) working for SECONDS
# (default 60) on a mix of My work, case pages, searches and visit logging,
# each user pausing about THINK seconds between requests (default 1; 0 for
# none, which measures the server's capacity).
# Prints latency percentiles for pages and writes, then verifies the audit log.
# CME_BENCH_REGISTER=DIR keeps the demo register and its users' passwords in
# DIR (made on the first run) and serves a fresh copy of them on each run.
# Usage: scripts/benchmark-serve.sh [CHILDREN] [USERS] [SECONDS] [THINK]
set -euo pipefail
cd "$(dirname "$0")/.."
children=${1:-100000}
users=${2:-50}
seconds=${3:-60}
think=${4:-1}
if [ -n "${CME_BIN:-}" ]; then
  bin=$CME_BIN
else
  swift build -c release --product cme >/dev/null
  bin=$(swift build -c release --show-bin-path)/cme
fi
dir=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$dir"' EXIT
db="$dir/register.sqlite"
port=$((20000 + RANDOM % 20000))
echo "cme serve benchmark: $children children, $users users, $seconds s, on $(nproc) cores"
keep=${CME_BENCH_REGISTER:-}
if [ -n "$keep" ] && [ -f "$keep/register.sqlite" ]; then
  cp "$keep/register.sqlite" "$db"
  cp "$keep/demo.txt" "$dir/demo.txt"
  # Written to disk before the load: the copy's write-back (gigabytes at
  # 1,000,000 children) would otherwise stall the server's commits.
  sync "$db"
else
  "$bin" demo --db "$db" --children "$children" >"$dir/demo.txt"
  if [ -n "$keep" ]; then
    mkdir -p "$keep"
    cp "$db" "$keep/register.sqlite"
    cp "$dir/demo.txt" "$keep/demo.txt"
  fi
fi
# The demo's caseworkers, with their one-time passwords.
awk '$2 == "caseworker" && NF == 3 { print $1, $3 }' "$dir/demo.txt" >"$dir/once.txt"
"$bin" serve --db "$db" --listen "127.0.0.1:$port" >"$dir/serve.log" 2>&1 &
server=$!
# Up to two minutes: a large register is copied just before, and opening it may add an index.
for _ in $(seq 1 1200); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
# Each caseworker signs in once with the one-time password and chooses their own.
python3 - "$port" "$dir/once.txt" "$dir/users.txt" <<'PY'
import http.client, re, sys, urllib.parse
port, once, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(out, "w") as f:
    for line in open(once):
        name, password = line.split()
        c = http.client.HTTPConnection("127.0.0.1", port)
        def req(method, path, form=None, cookie=""):
            h = {"Cookie": cookie} if cookie else {}
            body = urllib.parse.urlencode(form) if form else None
            if form: h["Content-Type"] = "application/x-www-form-urlencoded"
            c.request(method, path, body=body, headers=h); r = c.getresponse(); d = r.read().decode()
            return r, d
        r, d = req("GET", "/sign-in"); pre = r.headers["Set-Cookie"].split(";")[0]
        token = re.search(r'name="csrf" value="([^"]+)"', d).group(1)
        r, _ = req("POST", "/sign-in", {"csrf": token, "username": name, "password": password}, pre)
        session = [v for v in r.headers.get_all("Set-Cookie") if v.startswith("cme_session=")][0].split(";")[0]
        r, d = req("GET", "/password", cookie=session)
        csrf = re.search(r'name="csrf" value="([^"]+)"', d).group(1)
        new = "quiet-lantern-mosaic-river"
        r, _ = req("POST", "/password", {"csrf": csrf, "currentPassword": password, "newPassword": new,
                                        "confirmPassword": new}, session)
        assert r.status == 303, r.status
        f.write(f"{name} {new}\n")
PY
python3 scripts/benchmark-serve.py "http://127.0.0.1:$port" "$dir/users.txt" "$users" "$seconds" "$think"
status=$?
kill -TERM "$server"
wait "$server" || true
server=
echo "after: $("$bin" audit verify --db "$db" --user cme-admin | head -1)"
exit $status
