"""Shared helpers for the browser tests and the screenshot script.

A demo register in a temporary folder, `cme serve` on a free port, and a
signed-in browser context per user. Nothing here needs the network: the
browser is Debian's Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# A new password for each user once their one-time password is used: long,
# not on any common-password list.
NEW_PASSWORD = "Tortoise-lantern-harbour-47"

ROLES = ("caseworker", "manager", "admin", "board")


def cme_bin() -> str:
    path = Path(os.environ.get("CME_BIN", ".build/debug/cme"))
    if not path.is_absolute():
        path = PACKAGE_ROOT / path
    return str(path)


def cme(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs the CLI. The binary may be rebuilt under us: a failed run is
    tried once more after a pause before it counts as a failure."""
    cmd = [cme_bin(), *args]
    result = _run_once(cmd)
    if result is None or result.returncode != 0:
        time.sleep(5)
        result = _run_once(cmd, wait_for_binary=60)
    if check and result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def _run_once(cmd: list[str], wait_for_binary: float = 0) -> subprocess.CompletedProcess | None:
    """One run; None when the binary cannot be executed (being rewritten:
    "Text file busy"), after waiting up to `wait_for_binary` seconds for it."""
    deadline = time.time() + wait_for_binary
    while True:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        except OSError:
            if time.time() >= deadline:
                if wait_for_binary:
                    raise
                return None
            time.sleep(2)


def parse_passwords(demo_output: str) -> dict[str, tuple[str, str]]:
    """The `NAME ROLE PASSWORD` lines under "web sign-in" of `cme demo`."""
    users: dict[str, tuple[str, str]] = {}
    in_block = False
    for line in demo_output.splitlines():
        if "web sign-in" in line:
            in_block = True
            continue
        if in_block:
            m = re.match(r"^\s+(\S+)\s+(caseworker|manager|admin|board)\s+(\S+)\s*$", line)
            if not m:
                if users:
                    break
                continue
            users[m.group(1)] = (m.group(2), m.group(3))
    if not users:
        raise RuntimeError("no web sign-in passwords in the demo's output:\n" + demo_output)
    return users


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A demo register and the `cme serve` over it."""

    folder: Path
    db: str = ""
    users: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (role, one-time password)
    passwords: dict[str, str] = field(default_factory=dict)  # name -> the password that works now
    port: int = 0
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def user_with_role(self, role: str) -> str:
        return sorted(n for n, (r, _) in self.users.items() if r == role)[0]

    def users_with_role(self, role: str) -> list[str]:
        return sorted(n for n, (r, _) in self.users.items() if r == role)

    # -- the register -------------------------------------------------------

    def make_demo(self, children: int = 300) -> None:
        self.db = str(self.folder / "register.sqlite")
        out = cme("demo", "--db", self.db, "--children", str(children)).stdout
        self.users = parse_passwords(out)
        self.passwords = {n: p for n, (_, p) in self.users.items()}

    def sql(self, query: str, *params) -> list[tuple]:
        """Reads the register directly (read-only, as a test's witness)."""
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10)
        try:
            return con.execute(query, params).fetchall()
        finally:
            con.close()

    def sql_write(self, statement: str) -> None:
        """Changes the register behind the server's back, with the sqlite3
        shell as the brief does (e.g. to age a session)."""
        subprocess.run(["sqlite3", self.db, statement], check=True, capture_output=True, timeout=30)

    def scalar(self, query: str, *params):
        rows = self.sql(query, *params)
        return rows[0][0] if rows else None

    def child_names(self) -> set[str]:
        """Every name of every child: legal, preferred and former."""
        names: set[str] = set()
        for row in self.sql(
            "SELECT legalForename, legalSurname, preferredForename, preferredSurname, middleNames FROM child"
        ):
            for v in row:
                if v:
                    names.add(v.strip())
        for (v,) in self.sql("SELECT name FROM childFormerName"):
            if v:
                names.add(v.strip())
        return names

    def child_full_names(self) -> set[str]:
        full: set[str] = set()
        for lf, ls, pf, ps in self.sql(
            "SELECT legalForename, legalSurname, preferredForename, preferredSurname FROM child"
        ):
            for f in {lf, pf or lf}:
                for s in {ls, ps or ls}:
                    full.add(f"{f} {s}")
        for (v,) in self.sql("SELECT name FROM childFormerName"):
            if v and " " in v.strip():
                full.add(v.strip())
        return full

    def prepare(self) -> None:
        """Puts the demo in the state the tests need, with the CLI as a
        manager would: a board meeting, and a register-check cycle whose
        cases include some explained at their last check in an earlier cycle
        (so the bulk confirmation has something to confirm)."""
        manager = self.user_with_role("manager")
        today = time.strftime("%Y-%m-%d")
        if not self.sql("SELECT id FROM boardMeeting"):
            cme(
                "board", "meeting", "create", "--db", self.db, "--user", manager, "--date", today,
                "--chair", "Service director", "--attendee", "Head of inclusion",
                "--attendee", "Designated safeguarding lead",
            )
        if not self.sql("SELECT id FROM registerCycle WHERE closedOn IS NULL"):
            cme("register", "cycle", "start", "--db", self.db, "--user", manager)
        cycle = self.scalar("SELECT id FROM registerCycle WHERE closedOn IS NULL")
        explained = self.scalar(
            "SELECT count(*) FROM registerCheck rc JOIN cmeCase c ON c.id = rc.caseId "
            "WHERE rc.cycleId = ? AND rc.outcome = 'explained' AND c.status = 'open'", cycle)
        to_check = json.loads(
            cme("register", "check", "--db", self.db, "--user", manager, "--format", "json", "--limit", "0").stdout)
        # At least three explained cases for the next cycle.
        for row in to_check:
            if explained >= 3:
                break
            if row["lead"] == manager:
                continue
            cme("register", "record", row["case"], "--db", self.db, "--user", manager, "--outcome", "explained",
                "--note", "Family confirmed the school place by phone; start date agreed")
            explained += 1
        to_check = json.loads(
            cme("register", "check", "--db", self.db, "--user", manager, "--format", "json", "--limit", "0").stdout)
        unchecked = []
        for row in to_check:
            unchecked += ["--unchecked", f"{row['case']}=carried over to the next cycle (browser-test set-up)"]
        cme("register", "cycle", "close", "--db", self.db, "--user", manager, *unchecked,
            "--note", "Closed early for the browser tests")
        cme("register", "cycle", "start", "--db", self.db, "--user", manager)

    # -- the server ---------------------------------------------------------

    def start(self) -> None:
        last_error = ""
        for attempt in range(2):
            self.port = free_port()
            self.log_path = self.folder / f"serve-{attempt}.log"
            log = open(self.log_path, "w")
            try:
                self.process = subprocess.Popen(
                    [cme_bin(), "serve", "--db", self.db, "--listen", f"127.0.0.1:{self.port}"],
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            except OSError as e:  # the binary is being rewritten by a build
                last_error = str(e)
                time.sleep(10)
                continue
            deadline = time.time() + 30
            while time.time() < deadline:
                if self.process.poll() is not None:
                    break
                try:
                    with urllib.request.urlopen(self.base_url + "/health", timeout=2) as r:
                        if r.status == 200 and r.read().strip() == b"ok":
                            return
                except OSError:
                    pass
                time.sleep(0.2)
            last_error = self.log_tail()
            self.stop()
            time.sleep(3)
        raise RuntimeError("cme serve did not answer /health:\n" + last_error)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def log_tail(self, lines: int = 40) -> str:
        if self.log_path and self.log_path.exists():
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])


def new_context(browser, server: Server, viewport=None, favicon_workaround: bool = True, **context_options):
    """A fresh browser context for the server.

    Workaround (see test_sign_in_at_the_first_attempt): Chromium asks for
    /favicon.ico after each page; the server answers 303 to /sign-in, whose
    GET replaces the sign-in form's token cookie, so the form on screen then
    fails with "The sign-in form had expired". Routing that request to a 404
    here lets the other tests sign in; the defect itself stays under test.
    """
    ctx = browser.new_context(
        base_url=server.base_url, viewport=viewport or {"width": 1280, "height": 900}, **context_options)
    if favicon_workaround:
        ctx.route("**/favicon.ico", lambda route: route.fulfill(status=404, body=""))
    return ctx


def sign_in(browser, server: Server, name: str, viewport=None, **context_options):
    """A new browser context signed in as `name`; a one-time password is
    changed on the way, as the service demands. Returns (context, page)."""
    ctx = new_context(browser, server, viewport=viewport, **context_options)
    page = ctx.new_page()
    page.goto("/sign-in")
    page.fill("#username", name)
    page.fill("#password", server.passwords[name])
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
    if page.url.endswith("/password"):
        change_password(page, server, name)
    path = page.url.removeprefix(server.base_url).split("?")[0]
    if path.startswith("/sign-in") or path in ("/password", "/second-factor"):
        text = " ".join(page.locator("main").inner_text().split())[:300]
        ctx.close()
        raise RuntimeError(f"{name} could not sign in: the browser is at {path}: {text}")
    return ctx, page


def change_password(page, server: Server, name: str) -> None:
    page.fill("#currentPassword", server.passwords[name])
    page.fill("#newPassword", NEW_PASSWORD)
    page.fill("#confirmPassword", NEW_PASSWORD)
    page.click("button:has-text('Change password')")
    page.wait_for_load_state()
    server.passwords[name] = NEW_PASSWORD
