import CMETestSupport
import Foundation
import Testing

/// A caseworker's day outside any register-check cycle.
struct WorkdayCLITests {
  @Test func my_shows_a_caseworkers_day() throws {
    let cli = CLI()
    try cli.expectSuccess(["demo", "--children", "300", "--seed", "2", "--as-of", "2026-11-16"], user: "me")
    let day = try cli.expectSuccess(["my"], user: "a.khan")
    #expect(day.hasPrefix("My work on 2026-11-16, a.khan: "))
    for heading in [
      "Clocks overdue or due within a week:", "Actions overdue or due within a week:",
      "Cases given to you since 2026-11-09:", "Your cases, worst first:",
    ] {
      #expect(day.contains(heading), "\(heading)")
    }
    // Every case listed is one a.khan leads.
    let cases = try sqlite3(
      cli.db,
      "SELECT count(*) FROM cmeCase c JOIN user u ON u.id = c.leadCaseworkerId WHERE c.status = 'open' AND u.name = 'a.khan';"
    ).output.trimmingCharacters(in: .newlines)
    #expect(day.contains("a.khan: \(cases) open case"))
    let bad = try cli.run(["my", "--since", "2026-13-01"], user: "a.khan")
    #expect(bad.status == 65)
    #expect(bad.stderr.contains("--since"))
  }

  @Test func a_case_given_to_a_caseworker_shows_in_their_day() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["user", "add", "cw2", "--role", "caseworker"], user: "admin")
    let id = try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let ref = try cli.expectSuccess(["case", "open", id, "--reason", "whereabouts-unknown"], user: "cw")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    try cli.expectSuccess(["case", "update", ref, "--lead", "cw2", "--reason", "Caseload balance"], user: "mgr")
    let day = try cli.expectSuccess(["my"], user: "cw2")
    #expect(day.contains("Cases given to you since 2026-11-09:\n  \(ref)  Tommy Ward"))
  }

  @Test func register_check_without_a_cycle_lists_the_open_cases_to_read() throws {
    let cli = try CLI.withUsers()
    let id = try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let ref = try cli.expectSuccess(["case", "open", id, "--reason", "whereabouts-unknown"], user: "cw")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let list = try cli.expectSuccess(["register", "check"])
    #expect(list.hasPrefix("No register-check cycle is running: these are the 1 open cases"))
    #expect(list.contains(ref))
    // Recording a check still needs a cycle.
    let record = try cli.run(["register", "record", ref, "--outcome", "explained", "--note", "x"])
    #expect(record.status != 0)
  }

  @Test func closing_a_case_cancels_its_open_actions_each_recorded() throws {
    let cli = try CLI.withUsers()
    let id = try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let ref = try cli.expectSuccess(["case", "open", id, "--reason", "whereabouts-unknown"], user: "cw")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    try cli.expectSuccess(
      ["action", "add", ref, "--agency", "police", "--description", "Welfare check", "--due", "2026-11-20"], user: "cw")
    try cli.expectSuccess(
      [
        "case", "close", ref, "--outcome", "on-roll-la-school", "--evidence", "Hill Top confirmed start", "--school",
        "892/4001", "--start-date", "2026-11-16",
      ], user: "cw")
    #expect(
      try sqlite3(cli.db, "SELECT state, note FROM caseAction;").output
        == "cancelled|the case closed (on-roll-la-school)\n")
    #expect(try sqlite3(cli.db, "SELECT count(*) FROM auditEntry WHERE action = 'action.cancelled';").output == "1\n")
    let open = try cli.expectSuccess(["action", "list"], user: "cw")
    #expect(!open.contains("Welfare check"))
  }

  @Test func team_shows_each_leads_caseload_as_the_register_holds_it() throws {
    let cli = CLI()
    try cli.expectSuccess(["demo", "--children", "300", "--seed", "2", "--as-of", "2026-11-16"], user: "me")
    let csv = try cli.expectSuccess(["team", "--format", "csv"], user: "me")
    let expected = try sqlite3(
      cli.db,
      """
      SELECT ifnull(u.name, '(no lead)'), count(*), sum(c.rag = 'red'), sum(c.rag = 'amber'), sum(c.rag = 'green')
      FROM cmeCase c LEFT JOIN user u ON u.id = c.leadCaseworkerId WHERE c.status = 'open' GROUP BY u.name;
      """
    ).output.split(separator: "\n").map { $0.replacingOccurrences(of: "|", with: ",") }
    let lines = csv.split(whereSeparator: \.isNewline).dropFirst().map {
      $0.split(separator: ",").prefix(5).joined(separator: ",")
    }
    #expect(Set(lines) == Set(expected))
    let caseworker = try cli.run(["team"], user: "a.khan")
    #expect(caseworker.status == 77)
  }

  @Test func an_action_agreed_at_a_meeting_is_recorded_later_with_its_real_date() throws {
    let cli = try CLI.withUsers()
    let id = try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let ref = try cli.expectSuccess(
      ["case", "open", id, "--reason", "whereabouts-unknown", "--opened", "2026-11-02"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let add = ["action", "add", ref, "--agency", "police", "--description", "Welfare check"]
    // Agreed at the strategy meeting on the 10th, due the 13th: recorded on the 16th, already overdue.
    try cli.expectSuccess(add + ["--due", "2026-11-13", "--agreed-on", "2026-11-10"], user: "cw")
    #expect(try sqlite3(cli.db, "SELECT raisedOn, dueOn FROM caseAction;").output == "2026-11-10|2026-11-13\n")
    let list = try cli.expectSuccess(["action", "list", "--overdue"], user: "cw")
    #expect(list.contains("Welfare check"))
    for (agreed, due, message) in [
      ("2026-11-20", "2026-11-25", "--agreed-on: 2026-11-20 is in the future"),
      ("2026-11-01", "2026-11-25", "is before the case opened (2026-11-02)"),
      ("2026-11-12", "2026-11-11", "--due: 2026-11-11 is before the day it was agreed (2026-11-12)"),
    ] {
      let r = try cli.run(add + ["--due", due, "--agreed-on", agreed], user: "cw")
      #expect(r.status == 65)
      #expect(r.stderr.contains(message), "\(r.stderr)")
    }
  }
}
