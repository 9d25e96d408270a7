#!/usr/bin/env python3
"""cme against its floor, workload by workload, in one run.

Usage: scripts/benchmark.py CME_BINARY CHILDREN IMPORT_ROWS [SCHEMA]

For each workload it runs cme (a release build) and, on the same file in the
same run, the floor: the same rows, or the same aggregates, produced by the
`sqlite3` command-line shell alone. It prints one Markdown table with each
one's wall time, cme's peak memory and the ratio, and the issue's target.

Memory: "anon" is the peak of the process's anonymous resident memory (RssAnon
in /proc/PID/status, sampled every 5 ms): the heap, without the pages of the
register file SQLite maps into memory. "RSS" is the kernel's peak resident set
(ru_maxrss from wait4), which counts those mapped pages too.
"""
import os
import random
import subprocess
import sys
import tempfile
import threading
import time

BIN, CHILDREN, IMPORT_ROWS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
SCHEMA = sys.argv[4] if len(sys.argv) > 4 else os.path.join(os.path.dirname(__file__), "..", "schema.sql")
# A register made before (CME_BENCH_REGISTER) is read as of its own day, by
# one of its managers who is also its admin (CME_BENCH_TODAY, CME_BENCH_USER).
TODAY = os.environ.get("CME_BENCH_TODAY", "2026-11-16")
USER = os.environ.get("CME_BENCH_USER", "bench")
WORK = tempfile.mkdtemp(prefix="cme-bench-")
DB = os.path.join(WORK, "register.sqlite")
ENV = dict(os.environ, CME_DB=DB, CME_USER=USER, CME_TEST_MODE="1", CME_TEST_TODAY=TODAY)
ENV.pop("CME_TEST_BCRYPT_COST", None)


class Run:
    def __init__(self, wall, user, anon_kb, rss_kb, out):
        self.wall, self.user, self.anon_kb, self.rss_kb, self.out = wall, user, anon_kb, rss_kb, out


def run(cmd, env=ENV, stdin_text=None, capture=False):
    """Runs cmd once: its wall and CPU time, peak anonymous and peak resident memory."""
    with tempfile.TemporaryFile("w+") as stdin, tempfile.TemporaryFile("w+") as out, \
            tempfile.TemporaryFile("w+") as err:
        if stdin_text is not None:
            stdin.write(stdin_text)
            stdin.seek(0)
        start = time.monotonic()
        p = subprocess.Popen(cmd, env=env, stdin=stdin, stdout=out, stderr=err, text=True)
        peak = [0]
        done = threading.Event()

        def sample():
            path = f"/proc/{p.pid}/status"
            while not done.is_set():
                try:
                    with open(path) as f:
                        for line in f:
                            if line.startswith("RssAnon:"):
                                peak[0] = max(peak[0], int(line.split()[1]))
                                break
                except (OSError, ValueError, IndexError):
                    return
                time.sleep(0.005)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.monotonic() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        if p.returncode != 0:
            sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{err.read()}")
        return Run(wall, usage.ru_utime, peak[0], usage.ru_maxrss, out.read() if capture else "")


def timed(cmd, runs=1, **kw):
    """The run with the median wall time of `runs`, with the largest memory of any."""
    results = sorted((run(cmd, **kw) for _ in range(runs)), key=lambda r: r.wall)
    mid = results[len(results) // 2]
    mid.anon_kb = max(r.anon_kb for r in results)
    mid.rss_kb = max(r.rss_kb for r in results)
    return mid


def sqlite(db, script, runs=1, capture=False, args=()):
    return timed(["sqlite3", *args, db], runs=runs, stdin_text=script, capture=capture)


def cme(*args, runs=1, capture=False):
    return timed([BIN, *args], runs=runs, capture=capture)


def table_names(db):
    out = subprocess.run(
        ["sqlite3", db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
         "AND name NOT LIKE 'childNameIndex%' ORDER BY name"], capture_output=True, text=True, check=True)
    return out.stdout.split()


def same_rows_copy(src, foreign_keys=True):
    """The floor of writing: every row cme wrote, copied by sqlite3 into a new
    file with the whole schema (every index and trigger), in one transaction
    with a 256 MiB page cache, foreign keys checked at commit as cme does."""
    dst = os.path.join(WORK, "copy.sqlite")
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(dst + suffix):
            os.remove(dst + suffix)
    subprocess.run(["sqlite3", dst], stdin=open(SCHEMA), check=True, stdout=subprocess.DEVNULL)
    lines = [f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'};", "PRAGMA cache_size = -262144;",
             f"ATTACH '{src}' AS src;", "BEGIN;", "PRAGMA defer_foreign_keys = ON;"]
    for t in table_names(src):
        lines.append(f"DELETE FROM main.{t}; INSERT INTO main.{t} SELECT * FROM src.{t};")
    lines.append("COMMIT;")
    r = sqlite(dst, "\n".join(lines))
    os.remove(dst)
    return r


def rows_in(db):
    total = 0
    for t in table_names(db):
        out = subprocess.run(["sqlite3", db, f"SELECT count(*) FROM {t}"], capture_output=True, text=True, check=True)
        total += int(out.stdout)
    return total


rows = []


def row(workload, c, floor_name, f, target=None, check=None):
    """One line of the table; `check(c)` says whether the target is met."""
    ratio = f"{c.wall / f.wall:.1f}×" if f and f.wall > 0 else "—"
    verdict = ""
    if target:
        verdict = target
        if check is not None and CHILDREN == 1_000_000:
            met, how = check(c)
            verdict += " — met" if met else f" — missed: {how}"
    rows.append((workload, secs(c.wall), f"{c.anon_kb / 1024:.0f} / {c.rss_kb / 1024:.0f} MB", floor_name,
                 secs(f.wall) if f else "—", ratio, verdict))
    print(f"  {workload}: {secs(c.wall)}" + (f" (floor {secs(f.wall)})" if f else ""), file=sys.stderr, flush=True)


def secs(s):
    if s < 1:
        return f"{s * 1000:.0f} ms"
    if s < 120:
        return f"{s:.2f} s"
    whole = round(s)  # 299.6 s is 5 min 0 s, not 4 min 60 s
    return f"{whole // 60} min {whole % 60} s"


def within(limit, unit="s"):
    return lambda c: (c.wall <= limit, f"{c.wall / limit:.1f}× the target")


def memory_ok(c):
    return c.anon_kb <= 300 * 1024


def returns_file(n, path):
    """Deletion returns like a real year's: 70% with a UPN, grounds G, I, H, O, A, F."""
    random.seed(1)
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    forenames = ["Olivia", "Amelia", "Isla", "Noah", "Oliver", "George", "Muhammad", "Aisha", "Jakub", "Zuzanna",
                 "Tyrese", "Hodan", "Levi", "Ruby"]
    surnames = ["Smith", "Jones", "Patel", "Khan", "Ward", "Kowalska", "Hassan", "Lovell", "O'Brien", "Okafor",
                "Nowak", "Begum"]
    grounds = ["G"] * 35 + ["I"] * 25 + ["H"] * 10 + ["O"] * 10 + ["A"] * 10 + ["F"] * 10
    with open(path, "w") as f:
        f.write("upn,surname,forename,date_of_birth,sex,address,postcode,school,deletion_date,ground,last_attended,"
                "parent_name,parent_address,emergency_phone,destination_address,destination_school,"
                "destination_start_date\n")
        for i in range(n):
            digits = "892" + f"{i:09d}"
            s = sum((k + 2) * int(c) for k, c in enumerate(digits))
            upn = letters[s % 23] + digits if random.random() < 0.7 else ""
            y, m, d = random.randint(2010, 2020), random.randint(1, 12), random.randint(1, 28)
            g = random.choice(grounds)
            dest = '"1 New Road, Leeds",Leeds Academy,2026-11-16' if g == "A" else ",,"
            f.write(f'{upn},{random.choice(surnames)}-{i},{random.choice(forenames)},{y}-{m:02d}-{d:02d},'
                    f'{random.choice("MF")},"{i % 200} High Street, Nottingham",NG{i % 25 + 1} {i % 9 + 1}AB,'
                    f'892/4001,2026-11-16,{g},2026-10-01,Parent {i},,07700 900{i % 1000:03d},{dest}\n')


def first(db, sql):
    return subprocess.run(["sqlite3", db, sql], capture_output=True, text=True, check=True).stdout.strip()


WORST_FIRST = "CASE c.rag WHEN 'red' THEN 0 WHEN 'amber' THEN 1 WHEN 'green' THEN 2 ELSE 3 END, c.openedOn, c.id"
TO_CHECK = ("c.status = 'open' AND NOT EXISTS (SELECT 1 FROM registerCheck k WHERE k.caseId = c.id "
            "AND k.cycleId = (SELECT id FROM registerCycle WHERE closedOn IS NULL))")
# What the register check reads for each case it lists, by SQL: the case, the
# child and their concerns, the lead, the case's kept casework (schema 27) and
# its latest contact, and its earlier checks; the cases still to check in the
# open cycle (every open case with none open), worst first.
CHECK_SQL = f"""
SELECT c.reference, c.rag, c.reason, c.openedOn, c.whereaboutsKnown, c.ground, ch.legalForename,
  ch.legalSurname, ch.preferredForename, ch.preferredSurname, ch.dateOfBirth, ch.ethnicity, ch.senProvision,
  ch.lookedAfter, ch.childProtectionPlan, lead.name, w.firstHomeVisit, w.lastSeen, w.liveActionsDue,
  w.enquiriesDone, w.enquiriesNotApplicable, w.illnessSpells, w.illSince, w.fairAccessReferredOn,
  v.date, v.time, v.type, v.childSeen, v.outcome, u.name,
  (SELECT group_concat(concern) FROM childConcern WHERE childId = ch.id),
  (SELECT max(checkedAt) FROM registerCheck k WHERE k.caseId = c.id)
FROM cmeCase c JOIN child ch ON ch.id = c.childId LEFT JOIN user lead ON lead.id = c.leadCaseworkerId
  LEFT JOIN caseWork w ON w.caseId = c.id LEFT JOIN visit v ON v.id = w.lastContactId LEFT JOIN user u ON u.id = v.byUserId
WHERE {TO_CHECK} ORDER BY {WORST_FIRST}"""

# The pack's aggregates: the open cases by each breakdown Part A shows, the
# flows since the last meeting, the month-end trend, overdue actions by agency.
PACK_SQL = """
CREATE TEMP TABLE o AS SELECT c.*, ch.sex, ch.ethnicity, ch.senProvision, ch.dateOfBirth, ch.lookedAfter,
  ch.childProtectionPlan, ch.childInNeed, a.postcode FROM cmeCase c JOIN child ch ON ch.id = c.childId
  LEFT JOIN (SELECT childId, postcode FROM childAddress GROUP BY childId) a ON a.childId = c.childId
  WHERE c.status = 'open';
SELECT rag, count(*) FROM o GROUP BY rag;
SELECT reason, count(*) FROM o GROUP BY reason;
SELECT whereaboutsKnown, count(*) FROM o GROUP BY whereaboutsKnown;
SELECT sex, count(*) FROM o GROUP BY sex;
SELECT ethnicity, count(*) FROM o GROUP BY ethnicity;
SELECT senProvision, count(*) FROM o GROUP BY senProvision;
SELECT substr(dateOfBirth, 1, 4), count(*) FROM o GROUP BY 1;
SELECT substr(postcode, 1, instr(postcode || ' ', ' ') - 1), count(*) FROM o GROUP BY 1;
SELECT lookedAfter, childProtectionPlan, childInNeed, count(*) FROM o GROUP BY 1, 2, 3;
SELECT (julianday('2026-11-16') - julianday(openedOn)) / 7 > 12, count(*) FROM o GROUP BY 1;
SELECT count(*) FROM cmeCase WHERE openedOn > '2026-10-16';
SELECT count(*) FROM cmeCase WHERE closedOn > '2026-10-16';
SELECT m.d, (SELECT count(*) FROM cmeCase c WHERE c.openedOn <= m.d AND (c.closedOn IS NULL OR c.closedOn > m.d))
  FROM (SELECT date('2026-11-01', '-' || value || ' months', '-1 day') AS d FROM generate_series(0, 11)) m;
SELECT a.agency, count(*) FROM caseAction a JOIN cmeCase c ON c.id = a.caseId
  WHERE c.status = 'open' AND a.state IN ('open', 'accepted') AND a.dueOn < '2026-11-16' GROUP BY a.agency;
SELECT count(*) FROM boardAgendaItem;
"""


def main():
    version = first(":memory:", "SELECT sqlite_version()")
    print(f"cme benchmark: {CHILDREN:,} children, {IMPORT_ROWS:,} deletion-return rows, {os.cpu_count()} cores, "
          f"SQLite {version}", file=sys.stderr, flush=True)


    # The demo register, and the same rows copied by sqlite3 into a new file;
    # or a copy of a demo register made before (CME_BENCH_REGISTER), to
    # measure the everyday commands without waiting for the demo again.
    given = os.environ.get("CME_BENCH_REGISTER")
    if given:
        subprocess.run(["sqlite3", given, f".backup '{DB}'"], check=True)
        subprocess.run([BIN, "case", "list", "--limit", "1"], env=ENV, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        print(f"  register: a copy of {given}", file=sys.stderr, flush=True)
    else:
        c = cme("demo", "--children", str(CHILDREN), "--as-of", TODAY, "--no-passwords")
        rows_written = rows_in(DB)
        size = os.path.getsize(DB) / 1048576
        print(f"  register: {rows_written:,} rows, {size:.0f} MB", file=sys.stderr, flush=True)
        row(f"`cme demo --children {CHILDREN:,}` ({rows_written:,} rows)", c, "same rows copied, foreign keys on",
            same_rows_copy(DB), "≤ 3 min, ≤ 300 MB",
            lambda c: (c.wall <= 180 and memory_ok(c), f"{c.wall / 180:.1f}× the time"))

    # Start-up.
    row("`cme --version`", cme("--version", runs=11), "`sqlite3 --version`",
        timed(["sqlite3", "--version"], runs=11), "≤ 20 ms", within(0.020))

    # One case, and a page of cases.
    ref = first(DB, f"SELECT reference FROM cmeCase c WHERE status = 'open' ORDER BY {WORST_FIRST} LIMIT 1 OFFSET 7")
    case_id = first(DB, f"SELECT id FROM cmeCase WHERE reference = '{ref}'")
    case_sql = f"""SELECT * FROM cmeCase WHERE reference = '{ref}';
SELECT * FROM child WHERE id = (SELECT childId FROM cmeCase WHERE id = {case_id});
SELECT * FROM childAddress WHERE childId = (SELECT childId FROM cmeCase WHERE id = {case_id});
SELECT * FROM carer WHERE childId = (SELECT childId FROM cmeCase WHERE id = {case_id});
SELECT * FROM caseStatusChange WHERE caseId = {case_id};
SELECT * FROM ragRating WHERE caseId = {case_id};
SELECT * FROM visit WHERE caseId = {case_id} ORDER BY date DESC;
SELECT * FROM enquiry WHERE caseId = {case_id};
SELECT * FROM caseAction WHERE caseId = {case_id};
SELECT * FROM caseActionEvent WHERE actionId IN (SELECT id FROM caseAction WHERE caseId = {case_id});
SELECT * FROM closureEvidence WHERE statusChangeId IN (SELECT id FROM caseStatusChange WHERE caseId = {case_id});"""
    row("`cme case show` (one case, its casework and clocks; logged)", cme("case", "show", ref, runs=11),
        "its rows selected", sqlite(DB, case_sql, runs=11), "≤ 20 ms", within(0.020))
    row("`cme case list --limit 50`", cme("case", "list", "--limit", "50", runs=11), "the same 50 rows",
        sqlite(DB, "SELECT c.*, ch.legalForename, ch.legalSurname, ch.dateOfBirth FROM cmeCase c JOIN child ch "
               "ON ch.id = c.childId ORDER BY c.openedOn DESC, c.id DESC LIMIT 50;", runs=11), "≤ 50 ms",
        within(0.050))

    # The register check.
    row("`cme register check` (the worst 50, each assessed)", cme("register", "check", runs=7),
        "the 50 rows and their casework", sqlite(DB, CHECK_SQL + " LIMIT 50;", runs=7), "≤ 50 ms", within(0.050))
    open_cases = int(first(DB, "SELECT count(*) FROM cmeCase WHERE status = 'open'"))
    to_check = int(first(DB, f"SELECT count(*) FROM cmeCase c WHERE {TO_CHECK}"))
    row(f"`cme register check --limit 0 --format csv` ({to_check:,} cases to check)",
        cme("register", "check", "--limit", "0", "--format", "csv", runs=3), "the same rows as CSV",
        sqlite(DB, CHECK_SQL + ";", args=("-csv",), runs=3), "≤ 2 s", within(2.0))

    # The team's caseloads: every open case assessed, a batch at a time.
    row("`cme team` (each lead's open cases by rating, clocks and actions overdue)", cme("team", runs=3),
        "the open cases with their kept casework, by lead and rating",
        sqlite(DB, "SELECT lead.name, c.rag, count(*), count(w.caseId), sum(length(w.liveActionsDue)) FROM cmeCase c "
                   "LEFT JOIN user lead ON lead.id = c.leadCaseworkerId LEFT JOIN caseWork w ON w.caseId = c.id "
                   "WHERE c.status = 'open' GROUP BY 1, 2;", runs=3),
        "≤ 300 MB of heap", lambda c: (memory_ok(c), f"{c.anon_kb / 1024:.0f} MB of heap"))

    # Finding a child.
    surname = first(DB, "SELECT legalSurname FROM child ORDER BY id LIMIT 1 OFFSET min(4321, (SELECT count(*) / 2 FROM child))")
    row(f"`cme child find {surname}` (logged)", cme("child", "find", surname, runs=11),
        "the first 201 matches in the trigram index, the 200 shown read and sorted",
        sqlite(DB, f"SELECT ch.id, ch.legalForename, ch.legalSurname, ch.dateOfBirth FROM child ch WHERE ch.id IN "
                   f"(SELECT rowid FROM childNameIndex WHERE names LIKE '%{surname}%' LIMIT 200) "
                   f"ORDER BY ch.legalSurname, ch.legalForename, ch.id; "
                   f"SELECT count(*) FROM (SELECT rowid FROM childNameIndex WHERE names LIKE '%{surname}%' LIMIT 201);",
               runs=11), "≤ 50 ms", within(0.050))

    # The board: a meeting (its agenda written) and its pack.
    agenda_sql = f"""SELECT count(*) FROM cmeCase c WHERE c.status = 'open' AND (c.rag = 'red'
  OR (c.rag = 'amber' AND c.openedOn < date('{TODAY}', '-28 days')) OR c.openedOn > date('{TODAY}', '-1 month')
  OR EXISTS (SELECT 1 FROM caseAction a WHERE a.caseId = c.id AND a.state IN ('open', 'accepted')
    AND a.dueOn < '{TODAY}'));"""
    c = cme("board", "meeting", "create", "--date", TODAY, "--chair", "Service Director", capture=True)
    meeting = first(DB, "SELECT max(id) FROM boardMeeting")
    items = int(first(DB, f"SELECT count(*) FROM boardAgendaItem WHERE meetingId = {meeting}"))
    row(f"`cme board meeting create` ({items:,} cases on the agenda)", c, "the agenda rules in SQL",
        sqlite(DB, agenda_sql), "≤ 1 s, within 1.3× SQL", within(1.0))
    pack = os.path.join(WORK, "pack.html")
    row("`cme board pack` (HTML, both parts)", cme("board", "pack", meeting, "--out", pack, "--force", runs=3),
        "the pack's aggregates in SQL", sqlite(DB, PACK_SQL, runs=3), "≤ 3 s, within 1.3× SQL", within(3.0))

    # Checking the whole register, and backing it up.
    every_table = "\n".join(f"SELECT length(sha3_query('SELECT * FROM {t}'));" for t in table_names(DB))
    row("`cme audit verify` (the file, the chain, every row against its record)", cme("audit", "verify"),
        "`quick_check` and every row read and hashed", sqlite(DB, "PRAGMA quick_check;\n" + every_table),
        "≤ 60 s", within(60.0))
    backup = os.path.join(WORK, "backup.sqlite")
    copy = os.path.join(WORK, "copy.sqlite")
    row("`cme backup` (online copy, then checked as `verify` does)", cme("backup", "--out", backup),
        "`sqlite3 .backup` (the copy alone)", sqlite(DB, f".backup '{copy}'"), None)
    for f in (backup, copy):
        os.remove(f)

    # Importing deletion returns into a new register.
    os.remove(DB)
    returns = os.path.join(WORK, "returns.csv")
    returns_file(IMPORT_ROWS, returns)
    bare = os.path.join(WORK, "bare.sqlite")
    floor_import = sqlite(bare, f".mode csv\n.import '{returns}' returns")
    os.remove(bare)
    subprocess.run([BIN, "init", "--admin", USER], env=ENV, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([BIN, "user", "add", "importer", "--role", "caseworker"], env=ENV, check=True,
                   stdout=subprocess.DEVNULL)
    env = dict(ENV, CME_USER="importer")
    c = timed([BIN, "import", "deletion-returns", returns], env=env)
    written = rows_in(DB)
    copy_floor = same_rows_copy(DB)
    row(f"`cme import deletion-returns` ({IMPORT_ROWS:,} rows; {written:,} rows written)", c,
        "the rows it wrote, copied, foreign keys on", copy_floor, "≤ 1.5× the copy, ≤ 300 MB",
        lambda c: (c.wall <= 1.5 * copy_floor.wall and memory_ok(c), f"{c.wall / copy_floor.wall:.1f}× the copy"))
    rows.append(("", "", "", "`sqlite3 .import` into a bare table", secs(floor_import.wall),
                 f"{c.wall / floor_import.wall:.0f}×", ""))
    entries = int(first(DB, "SELECT count(*) FROM auditEntry"))
    chain = cme("audit", "verify", "--chain-only", runs=3)
    rate = entries / chain.wall
    rows.append((f"`cme audit verify --chain-only` ({entries:,} entries: {rate:,.0f} a second)", secs(chain.wall),
                 f"{chain.anon_kb / 1024:.0f} / {chain.rss_kb / 1024:.0f} MB", "every entry read and hashed",
                 secs(sqlite(DB, "SELECT length(sha3_query('SELECT * FROM auditEntry ORDER BY seq'));").wall),
                 "", "≥ 1,000,000 entries a second" + (" — met" if rate >= 1e6 else
                                                       f" — missed: {1e6 / rate:.1f}× too slow")))
    row(f"`cme audit verify` ({entries:,} entries, {written:,} rows)", cme("audit", "verify"),
        "`quick_check` and every row read and hashed",
        sqlite(DB, "PRAGMA quick_check;\n" + "\n".join(
            f"SELECT length(sha3_query('SELECT * FROM {t}'));" for t in table_names(DB))), None)

    print()
    print(f"{CHILDREN:,} children ({open_cases:,} open cases), {IMPORT_ROWS:,} deletion-return rows; "
          f"{time.strftime('%Y-%m-%d')}; SQLite {version}; {os.cpu_count()} cores")
    print()
    print("| workload | cme | cme memory (anon / RSS) | floor: sqlite3 alone | floor | ratio | target (1,000,000 children) |")
    print("|---|---:|---:|---|---:|---:|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


try:
    main()
finally:
    subprocess.run(["rm", "-rf", WORK])
