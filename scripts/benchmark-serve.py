#!/usr/bin/env python3
"""Load on `cme serve`: signed-in users working at once, as caseworkers do.

Each simulated user holds one signed-in session (cookie and CSRF token) and
repeats a mix of My work, a case page, a search and logging a visit, with no
pause between requests, for the given time. Prints, for pages and for writes,
the count, the error count and the 50th, 95th and 99th percentile latency.

Usage: benchmark-serve.py BASE_URL USERS_FILE CONCURRENCY SECONDS [THINK]
USERS_FILE has one "name password" per line (passwords already changed).
THINK (default 0): each user pauses between requests for 0.5-1.5 times this
many seconds, as a person reading the page would; 0 sends the next request at
once, which measures how much the server can do.
"""
import http.client
import random
import re
import sys
import threading
import time
import urllib.parse

base, users_file, concurrency, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
think = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
accounts = [line.split() for line in open(users_file) if line.strip()]
surnames = ["Smith", "Khan", "Jones", "Brown", "Patel", "Taylor", "Wilson", "Ahmed", "Evans", "Price", "Hughes"]


class Session:
    def __init__(self, name, password):
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies = {}
        self.csrf = None
        page = self.request("GET", "/sign-in")[2]
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        status, headers, _ = self.request("POST", "/sign-in", {"csrf": token, "username": name, "password": password})
        if status != 303 or headers.get("location") != "/":
            raise SystemExit(f"sign-in for {name} failed: {status} {headers.get('location')}")
        status, _, page = self.request("GET", "/")
        self.csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        self.cases = sorted(set(re.findall(r'href="/cases/(CME-\d{4}-\d{5})"', page)))
        if not self.cases:
            raise SystemExit(f"{name} leads no open case")

    def request(self, method, path, form=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read().decode("utf-8", "replace")
        for value in r.headers.get_all("Set-Cookie") or []:
            k, _, v = value.split(";")[0].partition("=")
            if v:
                self.cookies[k] = v
            else:
                self.cookies.pop(k, None)
        return r.status, {k.lower(): v for k, v in r.headers.items()}, data


pages, writes, errors = [], [], []
lock = threading.Lock()
stop_at = None


def work(session):
    rng = random.Random()
    while time.monotonic() < stop_at:
        roll = rng.random()
        ref = rng.choice(session.cases)
        started = time.perf_counter()
        if roll < 0.3:
            kind, (status, _, _) = "page", session.request("GET", "/")
        elif roll < 0.6:
            kind, (status, _, _) = "page", session.request("GET", f"/cases/{ref}")
        elif roll < 0.8:
            kind, (status, _, _) = "page", session.request("GET", "/find?q=" + rng.choice(surnames))
        else:
            form = {
                "csrf": session.csrf, "formId": f"bench-{rng.getrandbits(64):x}", "type": "phone-call",
                "date": time.strftime("%Y-%m-%d"), "childSeen": "", "outcome": "No answer; message left",
            }
            kind, (status, _, _) = "write", session.request("POST", f"/cases/{ref}/visits", form)
        elapsed = (time.perf_counter() - started) * 1000
        ok = status == 200 if kind == "page" else status == 303
        with lock:
            (pages if kind == "page" else writes).append(elapsed)
            if not ok:
                errors.append((kind, status))
        if think:
            time.sleep(think * rng.uniform(0.5, 1.5))


sessions = [Session(*accounts[i % len(accounts)]) for i in range(concurrency)]
stop_at = time.monotonic() + seconds
threads = [threading.Thread(target=work, args=(s,)) for s in sessions]
for t in threads:
    t.start()
for t in threads:
    t.join()


def summary(name, values):
    if not values:
        return f"{name}: none"
    v = sorted(values)
    q = lambda p: v[min(len(v) - 1, int(p * len(v)))]
    return (f"{name}: {len(v)} requests ({len(v) / seconds:.0f}/s), p50 {q(0.5):.0f} ms, "
            f"p95 {q(0.95):.0f} ms, p99 {q(0.99):.0f} ms, max {v[-1]:.0f} ms")


print(f"{concurrency} signed-in users for {seconds:.0f} s, " + (f"pausing about {think:g} s between requests" if think else "without pausing"))
print(summary("pages (my work, case, find)", pages))
print(summary("writes (log a visit)", writes))
print(f"errors: {len(errors)}" + (f" e.g. {errors[:5]}" if errors else ""))
sys.exit(1 if errors else 0)
