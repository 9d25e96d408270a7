import CMETestSupport
import Foundation
import Testing

/// Who carries an action, and when things happened against when they were recorded.
struct ActionRecordCLITests {
  func setUp(_ cli: CLI) throws -> (child: String, ref: String, socialWorker: String) {
    let id = try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let ref = try cli.expectSuccess(
      ["case", "open", id, "--reason", "whereabouts-unknown", "--opened", "2026-10-20"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let sw = try cli.expectSuccess(
      [
        "child", "professional", "add", id, "--role", "social-worker", "--name", "Sam Lee", "--organisation",
        "Children's Services",
      ], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    return (id, ref, sw)
  }

  func actions(_ cli: CLI) throws -> String {
    try sqlite3(cli.db, "SELECT count(*) FROM caseAction;").output.trimmingCharacters(in: .newlines)
  }

  @Test func an_action_names_the_professional_who_carries_it() throws {
    let cli = try CLI.withUsers()
    let (child, ref, sw) = try setUp(cli)
    let id = try cli.expectSuccess(
      [
        "action", "add", ref, "--agency", "social-care", "--description", "Strategy discussion", "--due",
        "2026-11-20", "--professional", sw,
      ], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let list = try cli.expectSuccess(["action", "list", "--case", ref, "--format", "csv"], user: "cw")
    #expect(list.contains("Sam Lee (social worker)"))
    let show = try cli.expectSuccess(["case", "show", ref], user: "cw")
    #expect(show.contains("#\(id) social-care: Strategy discussion"))
    #expect(show.contains("Sam Lee (social worker)"))
    #expect(show.lowercased().contains("for children's social care, with sam lee: strategy discussion"))

    // Someone else's professional, one who is not there, one who has left: refused, nothing written.
    let other = try cli.expectSuccess(
      ["child", "add", "--surname", "Other", "--forename", "Ann", "--dob", "2014-03-02"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let theirs = try cli.expectSuccess(
      ["child", "professional", "add", other, "--role", "iro", "--name", "Pat Kaur"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let before = try actions(cli)
    for (professional, message) in [
      (theirs, "--professional: professional \(theirs) is not one of this child's professionals"),
      ("999", "--professional: professional 999 is not one of this child's professionals"),
    ] {
      let r = try cli.run(
        [
          "action", "add", ref, "--agency", "social-care", "--description", "x", "--due", "2026-11-20",
          "--professional", professional,
        ], user: "cw")
      #expect(r.status == 65)
      #expect(r.stderr.contains(message), "\(r.stderr)")
    }
    try cli.expectSuccess(["child", "professional", "end", sw, "--on", "2026-11-13"], user: "cw")
    let left = try cli.run(
      [
        "action", "add", ref, "--agency", "social-care", "--description", "x", "--due", "2026-11-20",
        "--professional", sw,
      ], user: "cw")
    #expect(left.stderr.contains("Sam Lee stopped working with the child on 2026-11-13"))
    #expect(try actions(cli) == before)

    // The child's record, disposed of later, takes the professional and leaves the action.
    try cli.expectSuccess(
      [
        "case", "close", ref, "--outcome", "duplicate-or-error", "--evidence", "Recorded twice",
      ], user: "cw")
    try cli.expectSuccess(["user", "add", "mgr2", "--role", "manager"], user: "admin")
    let asked = try cli.expectSuccess(["retention", "erase", child, "--reason", "Recorded in error"])
    let request = try #require(asked.split(separator: "(request ").last?.split(separator: ")").first.map(String.init))
    try cli.expectSuccess(["retention", "erase", "--approve", request], user: "mgr2")
    #expect(
      try sqlite3(cli.db, "SELECT count(*) FROM caseAction WHERE professionalId IS NULL AND id = \(id);").output
        == "1\n")
    #expect(try sqlite3(cli.db, "SELECT count(*) FROM professional;").output == "1\n")  // the other child's
    #expect(try cli.run(["audit", "verify"]).status == 0)
  }

  @Test func what_happened_earlier_keeps_its_day_beside_the_day_it_was_recorded() throws {
    let cli = try CLI.withUsers()
    let (_, ref, _) = try setUp(cli)
    let id = try cli.expectSuccess(
      [
        "action", "add", ref, "--agency", "police", "--description", "Check with the missing persons unit",
        "--due", "2026-11-12", "--agreed-on", "2026-11-06",
      ], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    // The police replied on the 10th; it is recorded today (the 16th).
    for (day, message) in [
      ("2026-11-17", "--on: 2026-11-17 is in the future"),
      ("2026-11-05", "--on: 2026-11-05 is before the action was raised (2026-11-06)"),
      ("2026-11-1", "--on: '2026-11-1'"),
    ] {
      let r = try cli.run(["action", "done", id, "--outcome", "No trace", "--on", day], user: "cw")
      #expect(r.status == 65)
      #expect(r.stderr.contains(message), "\(r.stderr)")
    }
    let done = try cli.expectSuccess(
      ["action", "done", id, "--outcome", "No trace on police systems", "--on", "2026-11-10"], user: "cw")
    #expect(done.contains("done on 2026-11-10"))
    try cli.expectSuccess(
      [
        "visit", "log", ref, "--type", "multi-agency-meeting", "--date", "2026-11-09", "--outcome",
        "Strategy meeting: police and social care to share records",
      ], user: "cw")
    let show = try cli.expectSuccess(["case", "show", ref], user: "cw")
    #expect(show.contains("2026-11-06  action  action \(id) for police: Check with the missing persons unit"))
    // (Recorded: the machine's clock, which a test does not fix; later than the day it happened.)
    #expect(show.contains("(due 2026-11-12)  (cw; recorded 20"))
    #expect(show.contains("2026-11-10  action  action \(id) done: No trace on police systems  (cw; recorded 20"))
    #expect(show.contains("2026-11-09  visit   multi-agency meeting: Strategy meeting"))
    #expect(
      try sqlite3(cli.db, "SELECT occurredOn FROM caseActionEvent WHERE actionId = \(id) AND state = 'done';").output
        == "2026-11-10\n")
  }
}
