"""Browser and accessibility tests of `cme serve`, done as people do them.

One demo register and one server for the whole module; each role signs in
once and its browser context is reused. Run with scripts/browser-tests.sh,
or `python3 -m pytest -q Tests/browser` with CME_BIN naming the binary.
"""

from __future__ import annotations

import datetime as dt
import http.client
import re
import threading
import urllib.parse

import pytest
from playwright.sync_api import expect, sync_playwright

from cmeweb import NEW_PASSWORD, Server, launch_browser, new_context, sign_in

# WCAG 2.2 AA, as axe-core tags it.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Sideways scrolling at 320 CSS pixels (WCAG 1.4.10 Reflow): a pixel of
# rounding is allowed.
REFLOW_WIDTH = 320
REFLOW_TOLERANCE = 2


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("cme-web"))
    s.make_demo(children=300)
    s.prepare()
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = launch_browser(p)
        yield b
        b.close()


class Signed:
    """A signed-in user's browser context, with one page kept open."""

    def __init__(self, browser, server: Server, name: str):
        self.name = name
        self.ctx, self.page = sign_in(browser, server, name)

    def close(self):
        self.ctx.close()


@pytest.fixture(scope="module")
def caseworker(browser, server):
    # a.khan is kept for the first sign-in test; the others use b.okafor.
    s = Signed(browser, server, "b.okafor")
    yield s
    s.close()


@pytest.fixture(scope="module")
def manager(browser, server):
    s = Signed(browser, server, server.user_with_role("manager"))
    yield s
    s.close()


@pytest.fixture(scope="module")
def board(browser, server):
    s = Signed(browser, server, server.user_with_role("board"))
    yield s
    s.close()


@pytest.fixture(scope="module")
def admin(browser, server):
    s = Signed(browser, server, server.user_with_role("admin"))
    yield s
    s.close()


# ------------------------------------------------------------------ helpers


def open_case_led_by(server: Server, user: str) -> tuple[str, int, str]:
    """(reference, child id, legal surname) of an open case `user` leads."""
    rows = server.sql(
        "SELECT c.reference, ch.id, ch.legalSurname FROM cmeCase c JOIN child ch ON ch.id = c.childId "
        "JOIN user u ON u.id = c.leadCaseworkerId WHERE c.status = 'open' AND u.name = ? "
        "ORDER BY c.reference", user)
    assert rows, f"the demo gives {user} no open case"
    return rows[0]


def visits_on(server: Server, reference: str) -> int:
    return server.scalar(
        "SELECT count(*) FROM visit v JOIN cmeCase c ON c.id = v.caseId WHERE c.reference = ?", reference)


def current_cycle(server: Server) -> int:
    return server.scalar("SELECT id FROM registerCycle WHERE closedOn IS NULL")


def checks_in_cycle(server: Server, reference: str, cycle: int) -> list[tuple]:
    return server.sql(
        "SELECT rc.outcome, u.name, rc.note FROM registerCheck rc JOIN cmeCase c ON c.id = rc.caseId "
        "JOIN user u ON u.id = rc.checkedById WHERE c.reference = ? AND rc.cycleId = ?", reference, cycle)


def goto_ok(page, path: str):
    response = page.goto(path)
    assert response is not None and response.status == 200, f"GET {path}: {response and response.status}"
    return response


def submit(page, button_text: str, form_selector: str = "form"):
    """Clicks a form's submit button and returns the final page response
    (after any redirect)."""
    with page.expect_navigation() as nav:
        page.locator(form_selector).locator(f"button:has-text('{button_text}')").click()
    return nav.value


def today_on(page) -> dt.date:
    """The server's today, from the visit form's default date."""
    return dt.date.fromisoformat(page.input_value("#visit-date"))


def hidden_fields(page, form_selector: str) -> dict[str, str]:
    form = page.locator(form_selector)
    return {
        "csrf": form.locator("input[name=csrf]").get_attribute("value"),
        "formId": form.locator("input[name=formId]").get_attribute("value"),
    }


def session_cookie(ctx) -> str:
    for c in ctx.cookies():
        if c["name"] == "cme_session":
            return c["value"]
    raise AssertionError("no session cookie")


# ------------------------------------------------------ a caseworker's day


def test_sign_in_at_the_first_attempt(browser, server):
    """A plain browser, with nothing routed: what the browser fetches by
    itself after the page (its /favicon.ico) must not spoil the form."""
    name = "no.such.user"
    ctx = new_context(browser, server, favicon_workaround=False)
    page = ctx.new_page()
    try:
        goto_ok(page, "/sign-in")
        page.wait_for_timeout(500)  # the browser's own requests after the page
        page.get_by_label("User name").fill(name)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        message = page.locator(".error-summary").inner_text()
        assert "had expired" not in message, (
            "a fresh sign-in form was refused as expired: GET /favicon.ico is redirected to /sign-in, "
            "whose answer replaced the form's cme_signin cookie")
        assert "not right" in message, message
    finally:
        ctx.close()


def test_caseworker_first_sign_in_find_child_and_log_visit(browser, server):
    name = "a.khan"
    reference, child_id, surname = open_case_led_by(server, name)
    ctx = new_context(browser, server)
    page = ctx.new_page()
    try:
        # Any page sends a stranger to the sign-in page.
        page.goto("/")
        assert page.url.endswith("/sign-in")
        page.get_by_label("User name").fill(name)
        page.get_by_label("Password").fill(server.passwords[name])
        page.get_by_role("button", name="Sign in").click()
        # A one-time password must be changed before anything else.
        page.wait_for_url("**/password")
        expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
        page.goto("/find")
        assert page.url.endswith("/password"), "a one-time password let the user past the password page"
        page.get_by_label("Current password").fill(server.passwords[name])
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("New password again").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Change password").click()
        page.wait_for_url(re.compile(r"/\?done=password$"))
        server.passwords[name] = NEW_PASSWORD
        expect(page.locator(".banner")).to_contain_text("Your password has been changed")
        expect(page.get_by_role("heading", level=1)).to_have_text("My work")

        # Find the child by surname.
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Find a child").click()
        page.get_by_label("Name, date of birth").fill(surname)
        page.get_by_role("button", name="Search").click()
        page.wait_for_url(re.compile(r"/find\?q="))
        expect(page.locator("h2", has_text="found")).to_be_visible()
        page.locator(f"table a[href='/children/{child_id}']").click()
        page.wait_for_url(f"**/children/{child_id}")
        expect(page.locator("main")).to_contain_text(surname)

        # Open the case.
        page.locator(f"main a[href='/cases/{reference}']").first.click()
        page.wait_for_url(f"**/cases/{reference}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
        before = visits_on(server, reference)

        # Log a home visit in which the child was seen.
        outcome = f"Home visit: mother and child at home, school place discussed ({reference})"
        page.select_option("#visit-type", "home-visit")
        page.check("#visit-childSeen")
        page.fill("#visit-outcome", outcome)
        page.fill("#visit-nextStep", "Chase the admissions team on Friday")
        page.get_by_role("button", name="Log visit").click()
        page.wait_for_url(re.compile(rf"/cases/{reference}\?done=visit"))
        expect(page.locator(".banner")).to_contain_text("The visit has been logged")
        expect(page.locator("ol.timeline")).to_contain_text(outcome)
        assert visits_on(server, reference) == before + 1
    finally:
        ctx.close()


# ------------------------------------------------------ a manager's checks


def test_manager_bulk_confirmation_and_register_check(manager, server):
    page = manager.page
    cycle = current_cycle(server)
    goto_ok(page, "/register-check")
    expect(page.get_by_role("heading", level=1)).to_have_text("Register check")
    progress = page.locator("main p", has_text="checked").first.inner_text()
    m = re.search(r"checked (\d+) of (\d+)", progress)
    assert m, progress
    checked_before = int(m.group(1))

    # Bulk: confirm one explanation that still stands.
    confirm_form = page.locator("form[action='/register-check/confirm']")
    expect(confirm_form).to_be_visible()
    boxes = confirm_form.locator("input[type=checkbox][name=cases]")
    assert boxes.count() >= 2, "fewer than two cases to confirm although the set-up made three"
    confirmed = [boxes.nth(i).get_attribute("value") for i in range(2)]
    for i in range(2):
        boxes.nth(i).check()
    page.get_by_label("Note for every case ticked").fill("Explanation re-confirmed with the family this week")
    page.get_by_role("button", name="Confirm the ticked cases").click()
    page.wait_for_url(re.compile(r"/register-check\?done=confirmed"))
    expect(page.locator(".banner")).to_contain_text("The explanations have been confirmed")
    for ref in confirmed:
        checks = checks_in_cycle(server, ref, cycle)
        assert len(checks) == 1 and checks[0][0] == "explained" and checks[0][1] == manager.name, (ref, checks)
        expect(page.locator(f"#confirm-{ref}")).to_have_count(0)
    assert f"checked {checked_before + 2} of" in page.locator("main p", has_text="checked").first.inner_text()

    # A register check on a case the manager neither leads nor has worked.
    rows = page.locator("table tbody tr")
    target = None
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        ref = cells.nth(0).inner_text().strip()
        lead = cells.nth(6).inner_text().strip()
        worked = server.scalar(
            "SELECT count(*) FROM visit v JOIN cmeCase c ON c.id = v.caseId JOIN user u ON u.id = v.byUserId "
            "WHERE c.reference = ? AND u.name = ?", ref, manager.name)
        if lead and lead != manager.name and not worked:
            target = ref
            break
    assert target, "no case that the manager did not work is listed to check"
    page.locator(f"table a[href='/cases/{target}#check']").click()
    page.wait_for_url(f"**/cases/{target}#check")
    expect(page.locator("#check")).to_have_text("Record a register check")
    page.select_option("#check-outcome", "action-required")
    page.fill("#check-note", "No contact for three weeks: chase the school and the health visitor")
    page.get_by_role("button", name="Record check").click()
    page.wait_for_url(re.compile(rf"/cases/{target}\?done=check"))
    expect(page.locator(".banner")).to_contain_text("The register check has been recorded")
    checks = checks_in_cycle(server, target, cycle)
    assert [(c[0], c[1]) for c in checks] == [("action-required", manager.name)], checks


# -------------------------------------------------- the board sees no names


def names_found(text: str, names: set[str], full_names: set[str]) -> list[str]:
    """Child names that occur in `text` as words, case as written. A single
    name that is also a label the pages use (Green as a RAG rating, White as
    in the pack's "White - British" ethnicity group) only counts as part of
    a full name."""
    ui_words = {"Green", "Red", "Amber", "White", "Black"}
    found = [n for n in full_names if n in text]
    for n in names:
        if n in ui_words:
            continue
        if re.search(rf"(?<![\w'-]){re.escape(n)}(?![\w'-])", text):
            found.append(n)
    return sorted(set(found))


def test_board_member_sees_no_child_names(board, manager, server, tmp_path):
    names, full = server.child_names(), server.child_full_names()
    assert len(names) > 50
    # The detector works: a manager's register check names children.
    goto_ok(manager.page, "/register-check")
    assert names_found(manager.page.locator("body").inner_text(), names, full), "the name check finds nothing"
    page = board.page
    goto_ok(page, "/")
    assert page.url.endswith("/board"), page.url
    texts = {"/board": page.locator("body").inner_text(), "/board (html)": page.content()}
    meeting_link = page.locator("table a[href^='/board/meetings/']:not([href$='/pack'])").first
    expect(meeting_link).to_be_visible()
    meeting_link.click()
    page.wait_for_url(re.compile(r"/board/meetings/\d+$"))
    meeting_path = urllib.parse.urlparse(page.url).path
    agenda_refs = page.locator("table tbody tr td:first-child").all_inner_texts()
    assert agenda_refs, "the meeting's agenda is empty: nothing to check"
    texts[meeting_path] = page.locator("body").inner_text()
    texts[meeting_path + " (html)"] = page.content()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the anonymised board pack").click()
    pack_path = tmp_path / "pack.html"
    download_info.value.save_as(pack_path)
    pack = pack_path.read_text(errors="replace")
    assert any(ref.strip() in pack for ref in agenda_refs), "the pack names none of the agenda's cases"
    texts["pack"] = pack
    texts["pack (text)"] = re.sub(r"<[^>]+>", " ", pack)

    # Pages a board member is not meant to use must not show names either.
    for path in [f"/find?q={urllib.parse.quote(sorted(names)[0])}", f"/cases/{agenda_refs[0].strip()}",
                 "/register-check"]:
        page.goto(path)
        texts[path] = page.locator("body").inner_text()

    leaks = {where: names_found(text, names, full) for where, text in texts.items()}
    leaks = {k: v for k, v in leaks.items() if v}
    assert not leaks, f"child names shown to a board member: {leaks}"


# ----------------------------------------------------- a form filled badly


def test_bad_visit_form_shows_error_summary_and_keeps_typing(caseworker, server):
    page = caseworker.page
    reference, _, _ = open_case_led_by(server, caseworker.name)
    goto_ok(page, f"/cases/{reference}")
    before = visits_on(server, reference)

    # No outcome.
    page.fill("#visit-nextStep", "Ring the school office")
    response = submit(page, "Log visit", "form[action$='/visits']")
    assert response.status == 422, response.status
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    assert page.title().startswith("Error: ")
    links = summary.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "#visit-outcome" in hrefs, hrefs
    expect(page.locator("#visit-outcome")).to_have_count(1)
    assert page.locator("#visit-outcome").evaluate("e => e.tagName") == "TEXTAREA"
    expect(page.locator("#visit-outcome-error")).to_be_visible()
    assert "visit-outcome-error" in (page.get_attribute("#visit-outcome", "aria-describedby") or "")
    assert page.input_value("#visit-nextStep") == "Ring the school office"
    summary.locator("a[href='#visit-outcome']").click()
    assert page.url.endswith("#visit-outcome")
    expect(page.locator("#visit-outcome")).to_be_in_viewport()

    # A date after today, with the rest typed.
    tomorrow = today_on(page) + dt.timedelta(days=1)  # the field still holds the default, today
    page.fill("#visit-date", tomorrow.isoformat())
    page.fill("#visit-outcome", "Phoned the family: no answer")
    page.fill("#visit-nextStep", "Try again on Monday")
    response = submit(page, "Log visit", "form[action$='/visits']")
    assert response.status == 422, response.status
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    hrefs = [a.get_attribute("href") for a in summary.locator("a").all()]
    assert "#visit-date" in hrefs, (hrefs, summary.inner_text())
    expect(page.locator("#visit-date-error")).to_be_visible()
    assert page.input_value("#visit-date") == tomorrow.isoformat()
    assert page.input_value("#visit-outcome") == "Phoned the family: no answer"
    assert page.input_value("#visit-nextStep") == "Try again on Monday"
    assert visits_on(server, reference) == before, "a refused form wrote a visit"


# ------------------------------------------------ sessions and CSRF tokens


def test_idle_session_is_refused(browser, server):
    name = "d.nowak"
    ctx, page = sign_in(browser, server, name)
    try:
        goto_ok(page, "/")
        user_id = server.scalar("SELECT id FROM user WHERE name = ?", name)
        server.sql_write(
            "UPDATE webSession SET lastSeenAt='2000-01-01T00:00:00.000Z', createdAt='2000-01-01T00:00:00.000Z' "
            f"WHERE userId = {int(user_id)} AND endedAt IS NULL")
        page.goto("/find")
        assert page.url.endswith("/sign-in?ended=1"), page.url
        expect(page.locator(".banner")).to_contain_text("Your session ended")
        expect(page.get_by_label("User name")).to_be_visible()
        # The old cookie is gone or dead: the next page is the sign-in page again.
        page.goto("/")
        assert "/sign-in" in page.url
    finally:
        ctx.close()


def test_post_without_csrf_token_is_refused_and_writes_nothing(caseworker, server):
    page = caseworker.page
    reference, _, _ = open_case_led_by(server, caseworker.name)
    goto_ok(page, f"/cases/{reference}")
    visits, audit = visits_on(server, reference), server.scalar("SELECT count(*) FROM auditEntry")

    # A form whose token has gone (as from a page saved long ago).
    form = page.locator("form[action$='/visits']")
    form.locator("input[name=csrf]").evaluate("e => e.remove()")
    page.fill("#visit-outcome", "This must not be written")
    response = submit(page, "Log visit", "form[action$='/visits']")
    assert response.status == 403, response.status
    expect(page.get_by_role("heading", level=1)).to_have_text("This form has expired")

    # A forged post from elsewhere: right fields, wrong token.
    r = page.request.post(
        f"/cases/{reference}/visits", max_redirects=0,
        form={"csrf": "x" * 64, "formId": "forged", "type": "phone-call", "date": dt.date.today().isoformat(),
              "childSeen": "", "outcome": "Forged"})
    assert r.status == 403, r.status
    assert visits_on(server, reference) == visits
    assert server.scalar("SELECT count(*) FROM auditEntry") == audit, "a refused form wrote to the audit log"


# ------------------------------------------------------- a form sent twice


def test_double_submit_writes_one_visit(caseworker, server):
    page = caseworker.page
    reference, _, _ = open_case_led_by(server, caseworker.name)
    goto_ok(page, f"/cases/{reference}")
    before = visits_on(server, reference)
    fields = hidden_fields(page, "form[action$='/visits']")
    form = {**fields, "type": "phone-call", "date": page.input_value("#visit-date"), "childSeen": "",
            "outcome": "Rang the carer twice: no answer", "nextStep": ""}
    first = page.request.post(f"/cases/{reference}/visits", form=form, max_redirects=0)
    second = page.request.post(f"/cases/{reference}/visits", form=form, max_redirects=0)
    assert first.status == 303 and second.status == 303, (first.status, second.status)
    assert first.headers["location"] == second.headers["location"]
    assert visits_on(server, reference) == before + 1

    # A double click on the button in the browser.
    goto_ok(page, f"/cases/{reference}")
    page.fill("#visit-outcome", "Letter hand-delivered to the address")
    page.select_option("#visit-type", "letter")
    page.locator("form[action$='/visits'] button").dblclick()
    page.wait_for_url(re.compile(rf"/cases/{reference}\?done=visit"))
    page.wait_for_load_state()
    page.wait_for_timeout(300)  # a second request, if the browser sent one
    expect(page.locator(".banner")).to_contain_text("The visit has been logged")
    assert visits_on(server, reference) == before + 2


def test_simultaneous_double_submit_writes_one_visit(caseworker, server):
    """Copies of the same form arriving at once (a double click on a slow
    connection, a browser's retry): the form id must still let only one
    through. A race shows only sometimes, so several rounds are sent, each
    a new form of three simultaneous copies."""
    page = caseworker.page
    reference, _, _ = open_case_led_by(server, caseworker.name)
    cookie = session_cookie(caseworker.ctx)
    rounds, copies = 5, 3
    written = []
    for n in range(rounds):
        goto_ok(page, f"/cases/{reference}")
        before = visits_on(server, reference)
        fields = hidden_fields(page, "form[action$='/visits']")
        body = urllib.parse.urlencode(
            {**fields, "type": "email", "date": page.input_value("#visit-date"), "childSeen": "",
             "outcome": f"Emailed the carer about the school place (round {n + 1})", "nextStep": ""})
        statuses: list[int] = []
        barrier = threading.Barrier(copies)

        def post():
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
            conn.connect()
            barrier.wait()
            conn.request("POST", f"/cases/{reference}/visits", body=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded",
                                  "Cookie": f"cme_session={cookie}"})
            statuses.append(conn.getresponse().status)
            conn.close()

        threads = [threading.Thread(target=post) for _ in range(copies)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [303] * copies, statuses
        written.append(visits_on(server, reference) - before)
    assert written == [1] * rounds, (
        f"visits written per round of {copies} simultaneous copies of one form: {written} "
        "(the form id is checked before the write and recorded after it, so copies that arrive "
        "together all pass)")


# ------------------------------------------------------------ accessibility


def format_violations(violations: list[dict]) -> str:
    out = []
    for v in violations:
        out.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            out.append(f"      at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            out.append(f"         {summary[:300]}")
        if len(v["nodes"]) > 5:
            out.append(f"      ... and {len(v['nodes']) - 5} more")
    return "\n".join(out)


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                       "resultTypes": ["violations"]})
    return results.response["violations"]


A11Y_PAGES = ["sign-in", "password", "my work", "find with results", "child", "case", "register check",
              "board", "meeting", "admin", "error summary", "sign-in error", "message (403)"]
# At 320 px the wide tables scroll in their own box: a box that scrolls must
# be reachable by keyboard (axe's scrollable-region-focusable).
A11Y_NARROW_PAGES = ["my work", "find with results", "child", "case", "register check", "meeting"]


@pytest.fixture(scope="module")
def a11y_pages(browser, server, caseworker, manager, board, admin):
    """Opens each named page in a fresh page of the right user's context
    (the bypass of the pages' content-security policy lets axe's script in;
    the pages themselves are unchanged)."""
    contexts = {}

    def context_for(name: str):
        if name not in contexts:
            if name == "anonymous":
                contexts[name] = new_context(browser, server, bypass_csp=True)
            else:
                contexts[name] = sign_in(browser, server, name, bypass_csp=True)[0]
        return contexts[name]

    def open_page(which: str):
        cw = caseworker.name
        reference, child_id, surname = open_case_led_by(server, cw)
        if which in ("sign-in", "sign-in error"):
            page = context_for("anonymous").new_page()
            goto_ok(page, "/sign-in")
            if which == "sign-in error":
                page.fill("#username", cw)
                page.click("button:has-text('Sign in')")
                page.wait_for_load_state()
                expect(page.locator(".error-summary")).to_be_visible()
            return page
        if which == "password":
            ctx = new_context(browser, server, bypass_csp=True)
            contexts["password"] = ctx
            page = ctx.new_page()
            page.goto("/sign-in")
            page.fill("#username", "c.murphy")
            page.fill("#password", server.passwords["c.murphy"])
            page.click("button:has-text('Sign in')")
            page.wait_for_url("**/password")
            return page
        user = {"register check": manager.name, "board": board.name, "meeting": board.name,
                "admin": admin.name}.get(which, cw)
        page = context_for(user).new_page()
        if which == "my work":
            goto_ok(page, "/")
        elif which == "find with results":
            goto_ok(page, f"/find?q={urllib.parse.quote(surname)}")
            expect(page.locator("table tbody tr").first).to_be_visible()
        elif which == "child":
            goto_ok(page, f"/children/{child_id}")
        elif which == "case":
            goto_ok(page, f"/cases/{reference}")
        elif which == "error summary":
            goto_ok(page, f"/cases/{reference}")
            page.fill("#action-description", "Ask the school for the last attendance record")
            response = submit(page, "Raise action", "form[action$='/actions']")
            assert response.status == 422
            expect(page.locator(".error-summary")).to_be_visible()
        elif which == "message (403)":
            goto_ok(page, f"/cases/{reference}")
            page.locator("form[action$='/visits'] input[name=csrf]").evaluate("e => e.remove()")
            response = submit(page, "Log visit", "form[action$='/visits']")
            assert response.status == 403
        elif which == "register check":
            goto_ok(page, "/register-check")
        elif which == "board":
            goto_ok(page, "/board")
        elif which == "meeting":
            goto_ok(page, "/board")
            page.locator("table a[href^='/board/meetings/']:not([href$='/pack'])").first.click()
            page.wait_for_url(re.compile(r"/board/meetings/\d+$"))
        elif which == "admin":
            goto_ok(page, "/admin")
        return page

    yield open_page
    for ctx in contexts.values():
        ctx.close()


@pytest.mark.parametrize("which", A11Y_PAGES + [f"{p} at 320px" for p in A11Y_NARROW_PAGES])
def test_accessibility(a11y_pages, which):
    narrow = which.endswith(" at 320px")
    page = a11y_pages(which.removesuffix(" at 320px"))
    try:
        if narrow:
            page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
        violations = axe_violations(page)
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        minor = [v for v in violations if v not in serious]
        if minor:
            print(f"\n{which} ({page.url}): lesser axe findings\n{format_violations(minor)}")
        assert not serious, f"{which} ({page.url}): serious or critical axe violations:\n{format_violations(serious)}"
    finally:
        page.close()


# ------------------------------------------------------ layout and keyboard


def overflowing(page, width: int) -> list[str]:
    """The elements that stick out beyond `width` CSS pixels, outermost
    first, for the failure message."""
    return page.evaluate(
        """(width) => {
          const out = [];
          for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if (r.right > width + 1 && r.width > 0) {
              let inScroller = false;
              for (let p = e.parentElement; p; p = p.parentElement) {
                const s = getComputedStyle(p);
                if (p !== document.body && (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden')) { inScroller = true; break; }
              }
              if (inScroller) continue;
              const id = e.id ? '#' + e.id : '';
              const cls = e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '';
              out.push(`${e.tagName.toLowerCase()}${id}${cls} right=${Math.round(r.right)}px: ${(e.innerText || e.value || '').slice(0, 40).replace(/\\s+/g, ' ')}`);
            }
          }
          return out.slice(0, 12);
        }""", width)


REFLOW_PAGES = ["sign-in", "my work", "case", "find with results", "child", "register check", "meeting"]


@pytest.mark.parametrize("which", REFLOW_PAGES)
def test_no_sideways_scrolling_at_320px(browser, server, caseworker, manager, board, which):
    reference, child_id, surname = open_case_led_by(server, caseworker.name)
    ctx = None
    if which == "sign-in":
        ctx = new_context(browser, server, viewport={"width": REFLOW_WIDTH, "height": 640})
        page = ctx.new_page()
    else:
        owner = {"register check": manager, "meeting": board}.get(which, caseworker)
        page = owner.ctx.new_page()
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
    path = {"sign-in": "/sign-in", "my work": "/", "case": f"/cases/{reference}",
            "find with results": f"/find?q={urllib.parse.quote(surname)}", "child": f"/children/{child_id}",
            "register check": "/register-check", "meeting": "/board"}[which]
    try:
        goto_ok(page, path)
        if which == "meeting":
            page.locator("table a[href^='/board/meetings/']:not([href$='/pack'])").first.click()
            page.wait_for_url(re.compile(r"/board/meetings/\d+$"))
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= REFLOW_WIDTH + REFLOW_TOLERANCE, (
            f"{which} ({page.url}) scrolls sideways at {REFLOW_WIDTH}px: scrollWidth {scroll_width}px; "
            f"sticking out: {overflowing(page, REFLOW_WIDTH)}")
    finally:
        page.close()
        if ctx:
            ctx.close()


@pytest.mark.parametrize("which", ["my work", "case"])
def test_skip_link_is_first_on_signed_in_pages(server, caseworker, which):
    reference, _, _ = open_case_led_by(server, caseworker.name)
    page = caseworker.ctx.new_page()
    try:
        goto_ok(page, "/" if which == "my work" else f"/cases/{reference}")
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
        assert focused == ["skip-link", "#main"], focused
        expect(page.locator(".skip-link")).to_be_in_viewport()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        # The next Tab lands in the page's own content, not back in the header.
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('main')"), "Tab after the skip link left main"
    finally:
        page.close()


def test_keyboard_skip_link_and_sign_in(browser, server):
    name = "e.smith"
    ctx = new_context(browser, server)
    page = ctx.new_page()
    try:
        goto_ok(page, "/sign-in")
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.tagName, document.activeElement.className, "
                                "document.activeElement.getAttribute('href'), document.activeElement.innerText]")
        assert focused[0] == "A" and "skip-link" in focused[1] and focused[2] == "#main", focused
        expect(page.locator(".skip-link")).to_be_visible()
        assert focused[3].strip() == "Skip to main content"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"

        # From the main content, the form by keyboard alone.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "username"
        page.keyboard.type(name)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "password"
        page.keyboard.type(server.passwords[name])
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName + ':' + document.activeElement.innerText") == "BUTTON:Sign in"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_url("**/password")

        # The password page too: Tab from the top, past the skip link,
        # header and menu to the first field.
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "currentPassword":
                break
        assert page.evaluate("document.activeElement.id") == "currentPassword"
        page.keyboard.type(server.passwords[name])
        page.keyboard.press("Tab")
        page.keyboard.type(NEW_PASSWORD)
        page.keyboard.press("Tab")
        page.keyboard.type(NEW_PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/\?done=password$"))
        server.passwords[name] = NEW_PASSWORD
    finally:
        ctx.close()
