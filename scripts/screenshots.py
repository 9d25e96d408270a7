"""Screenshots of `cme serve`'s main pages, for docs/screenshots/.

Makes a demo register in a temporary folder, serves it on a free loopback
port, signs in as a caseworker, a manager, a board member and an admin, and
saves viewport PNGs 1280 px wide (plus "my work" at 320 px). Run through
scripts/screenshots.sh, which installs what is missing.
"""

from __future__ import annotations

import re
import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "browser"))

from cmeweb import Server, launch_browser, new_context, sign_in  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cme-screens-") as folder:
        server = Server(Path(folder))
        server.make_demo(children=300)
        server.prepare()
        server.start()
        try:
            with sync_playwright() as p:
                browser = launch_browser(p)
                shoot_all(browser, server)
                browser.close()
        finally:
            server.stop()
    for png in sorted(OUT.glob("*.png")):
        print(f"{png.relative_to(ROOT)}  {png.stat().st_size // 1024} KB")
    return 0


def shot(page, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)


def shoot_all(browser, server: Server) -> None:
    # Sign-in, before anyone is signed in.
    ctx = new_context(browser, server, viewport=WIDE)
    page = ctx.new_page()
    page.goto("/sign-in")
    shot(page, "01-sign-in")
    ctx.close()

    # A caseworker: my work, a search, a case, a form filled badly.
    caseworker = "b.okafor"
    ctx, page = sign_in(browser, server, caseworker, viewport=WIDE)
    reference, surname = server.sql(
        "SELECT c.reference, ch.legalSurname FROM cmeCase c JOIN child ch ON ch.id = c.childId "
        "JOIN user u ON u.id = c.leadCaseworkerId WHERE c.status = 'open' AND u.name = ? "
        "ORDER BY c.rag = 'red' DESC, c.reference LIMIT 1", caseworker)[0]
    page.goto("/")
    shot(page, "02-my-work")
    page.goto(f"/find?q={urllib.parse.quote(surname)}")
    shot(page, "03-find-results")
    page.goto(f"/cases/{reference}")
    shot(page, "04-case")
    page.fill("#visit-outcome", "")
    page.fill("#visit-nextStep", "Ring the school office")
    with page.expect_navigation():
        page.locator("form[action$='/visits'] button").click()
    page.locator(".error-summary").scroll_into_view_if_needed()
    shot(page, "05-error-summary")
    narrow = ctx.new_page()
    narrow.set_viewport_size(NARROW)
    narrow.goto("/")
    shot(narrow, "06-my-work-320px", full_page=True)
    ctx.close()

    # A manager: the register check.
    ctx, page = sign_in(browser, server, server.user_with_role("manager"), viewport=WIDE)
    page.goto("/register-check")
    shot(page, "07-register-check")
    ctx.close()

    # A board member: the meeting, names by case reference only.
    ctx, page = sign_in(browser, server, server.user_with_role("board"), viewport=WIDE)
    page.goto("/board")
    page.locator("table a[href^='/board/meetings/']:not([href$='/pack'])").first.click()
    page.wait_for_url(re.compile(r"/board/meetings/\d+$"))
    shot(page, "08-board-meeting")
    ctx.close()

    # An admin: the users.
    ctx, page = sign_in(browser, server, server.user_with_role("admin"), viewport=WIDE)
    page.goto("/admin")
    shot(page, "09-admin")
    ctx.close()


if __name__ == "__main__":
    sys.exit(main())
