import CMETestSupport
import Foundation
import Testing

struct CaseworkCLITests {
  /// A register with one open case, CME-2026-00001, opened 2026-11-02.
  func withCase() throws -> CLI {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02"], user: "cw")
    try cli.expectSuccess(
      [
        "case", "open", "1", "--reason", "whereabouts-unknown", "--ground", "I", "--last-attended", "2026-10-01",
        "--opened", "2026-11-02",
      ], user: "cw")
    return cli
  }

  @Test func a_caseworkers_day() throws {
    let cli = try withCase()
    let visit = try cli.expectSuccess(
      [
        "visit", "log", "CME-2026-00001", "--type", "home-visit", "--date", "2026-11-03", "--time", "17:30",
        "--child-seen", "no", "--outcome", "No answer", "--next-step", "Neighbours",
      ], user: "cw")
    #expect(visit == "1\n")
    try cli.expectSuccess(
      ["enquiry", "done", "CME-2026-00001", "home-visit", "--result", "No answer at 17:30", "--visit", "1"], user: "cw")
    try cli.expectSuccess(["enquiry", "na", "CME-2026-00001", "mod", "--reason", "Not a Service family"], user: "cw")
    let list = try cli.expectSuccess(["enquiry", "list", "CME-2026-00001"], user: "cw")
    #expect(list.contains("home-visit          Home visit"))
    #expect(
      list.contains("Ground I needs joint school–LA enquiries; not yet evidenced: last-school, emergency-contacts."))
    let action = try cli.expectSuccess(
      [
        "action", "add", "CME-2026-00001", "--agency", "housing", "--description", "Confirm tenancy", "--due",
        "2026-11-16", "--owner", "J. Patel",
      ], user: "cw")
    #expect(action == "1\n")
    try cli.expectSuccess(["action", "accept", "1"], user: "cw")
    let show = try cli.expectSuccess(["case", "show", "CME-2026-00001"], user: "cw")
    #expect(show.contains("Clocks (school days):"))
    #expect(show.contains("OVERDUE  Ground I: 20 school days' continuous absence before deletion"))
    #expect(show.contains("MET      Home visit within 5 school days of referral"))
    #expect(show.contains("Timeline:"))
    #expect(show.contains("visit   home visit at 17:30; child not seen: No answer — next: Neighbours"))
    try cli.expectSuccess(["register", "cycle", "start"])
    let csv = try cli.expectSuccess(["register", "check", "--format", "csv"])
    #expect(
      csv.contains(
        "school days missing,whereabouts,last contact,seen,actions open,overdue,enquiries outstanding,clock breaches"))
    // The deletion return came on the deletion day, so the referral is in time; the ground I deletion
    // after 17 school days (half term between) is still a breach.
    #expect(csv.contains("2026-11-03 home-visit,not seen,1,0,9,ground-i-20-days,"))
  }

  @Test func casework_bad_input_is_refused_with_its_message_and_writes_nothing() throws {
    let cli = try withCase()
    try cli.expectSuccess(
      ["action", "add", "CME-2026-00001", "--agency", "school", "--description", "x", "--due", "2026-11-20"], user: "cw"
    )
    try cli.expectSuccess(["action", "done", "1", "--outcome", "done"], user: "cw")
    let before = try cli.auditCount()
    let cases: [([String], Int32, String)] = [
      (
        ["action", "add", "CME-2026-00001", "--agency", "council", "--description", "x", "--due", "2026-11-20"], 64,
        "Error: The value 'council' is invalid for '--agency <agency>'. Please provide one of the following:\n  - school\n"
      ),
      (
        ["action", "add", "CME-2026-00001", "--agency", "police", "--description", "x", "--due", "2026-11-13"], 65,
        "error: --due: 2026-11-13 is in the past. Give a due date from today on\n"
      ),
      (
        ["action", "done", "1", "--outcome", "again"], 65,
        "error: ACTION: action 1 is already done and cannot become done. A done action is finished; add a new action if more is needed\n"
      ),
      (["action", "accept", "99"], 1, "error: no action '99'. List actions with 'cme action list'\n"),
      (
        ["enquiry", "done", "CME-2026-00001", "gp", "--result", "x"], 64,
        "Error: The value 'gp' is invalid for '<item>'. Please provide one of the following:"
      ),
      (
        ["visit", "log", "CME-2026-00001", "--type", "visit", "--date", "2026-11-03", "--outcome", "x"], 64,
        "Error: The value 'visit' is invalid for '--type <type>'. Please provide one of the following:"
      ),
      (
        ["visit", "log", "CME-2026-00001", "--type", "home-visit", "--date", "2026-11-17", "--outcome", "x"], 65,
        "error: --date: 2026-11-17 is in the future. Log a visit once it has happened\n"
      ),
      (
        ["case", "close", "CME-2026-00001", "--outcome", "on-roll-la-school", "--evidence", "x"], 65,
        "error: --outcome: CME-2026-00001 cannot close as on-roll-la-school without the receiving school; the confirmed start date."
      ),
    ]
    for (args, status, message) in cases {
      let r = try cli.run(args, user: "cw")
      #expect(r.status == status, "\(args): \(r.stderr)")
      #expect(r.stderr.hasPrefix(message), "\(args): \(r.stderr)")
    }
    #expect(try cli.auditCount() == before)
  }

  @Test func a_calendar_file_with_faults_lists_them_all_by_line_and_imports_nothing() throws {
    let cli = try withCase()
    let file = cli.directory.file("calendar.csv")
    try
      "kind,start,end,description\nterm,2026-09-03,2026-10-23,Autumn 1\nterm,2026-10-19,2026-12-18,Autumn 2\nclosure,2026-13-01,2026-13-01,Bad\n"
      .write(toFile: file, atomically: true, encoding: .utf8)
    let before = try cli.auditCount()
    let r = try cli.run(["calendar", "import", file])
    #expect(r.status == 65)
    #expect(
      r.stderr == """
        \(file):3:start: the term 2026-10-19 to 2026-12-18 overlaps the term on line 2 (2026-09-03 to 2026-10-23)
        \(file):4:end: '2026-13-01' is not a real date: there is no month 13
        \(file):4:start: '2026-13-01' is not a real date: there is no month 13
        3 problems; nothing was imported

        """)
    #expect(try cli.auditCount() == before)
    // The default, printed as CSV, is a valid file to start from.
    let template = try cli.expectSuccess(["calendar", "show", "--format", "csv"])
    try template.write(toFile: file, atomically: true, encoding: .utf8)
    let ok = try cli.expectSuccess(["calendar", "import", file])
    #expect(
      ok.hasPrefix("Imported 24 terms, 33 closures and 17 training days")
        && ok.hasSuffix("Pupil days: 2024/25 190, 2025/26 190, 2026/27 190, 2027/28 190.\n"))
    let count = try cli.expectSuccess(["calendar", "show", "--from", "2025-10-20", "--to", "2025-11-07"])
    // Mon 20 – Fri 24 Oct (5), half-term, Mon 3 Nov a training day, Tue 4 – Fri 7 Nov (4).
    #expect(count.contains("9 school days from 2025-10-20 to 2025-11-07, both included."))
  }
}

struct ChildUpdateCLITests {
  @Test func updating_a_child_from_the_command_line() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02"], user: "cw")
    let out = try cli.run(
      [
        "child", "update", "1", "--cp-plan", "yes", "--add-concern", "criminal-exploitation", "--reason",
        "Strategy meeting",
      ], user: "cw")
    #expect(out.status == 0)
    #expect(out.stderr.contains("Safeguarding markers: child protection plan; concern: criminal exploitation"))
    let bad = try cli.run(["child", "update", "1", "--cp-plan", "maybe", "--reason", "x"], user: "cw")
    #expect(bad.status == 64)
    #expect(
      bad.stderr.hasPrefix(
        "Error: The value 'maybe' is invalid for '--cp-plan <cp-plan>'. Please provide one of 'yes' and 'no'."))
    let nothing = try cli.run(["child", "update", "1", "--reason", "x"], user: "cw")
    #expect(nothing.status == 65)
    #expect(nothing.stderr.hasPrefix("error: CHILD: nothing to change"))
  }
}
