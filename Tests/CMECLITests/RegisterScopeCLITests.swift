import CMETestSupport
import Foundation
import Testing

/// Children on roll but not in full-time education, worked as cases.
struct RegisterScopeCLITests {
  func child(_ cli: CLI) throws -> String {
    try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func cases(_ cli: CLI) throws -> String {
    try sqlite3(cli.db, "SELECT count(*) FROM cmeCase;").output.trimmingCharacters(in: .newlines)
  }

  @Test func a_part_time_timetable_is_opened_with_its_hours_and_closed_when_full_time_returns() throws {
    let cli = try CLI.withUsers()
    let id = try child(cli)
    // Refused, and nothing written: no hours; unknown whereabouts; hours on the wrong part.
    let noHours = try cli.run(["case", "open", id, "--reason", "part-time-timetable"], user: "cw")
    #expect(noHours.status == 65)
    #expect(noHours.stderr.contains("hours: a part-time timetable needs its hours a week"))
    let lost = try cli.run(
      ["case", "open", id, "--reason", "informal-exclusion", "--whereabouts", "unknown"], user: "cw")
    #expect(lost.status == 65)
    #expect(lost.stderr.contains("cannot have unknown whereabouts"))
    let wrongPart = try cli.run(["case", "open", id, "--reason", "whereabouts-unknown", "--hours", "10"], user: "cw")
    #expect(wrongPart.status == 65)
    #expect(wrongPart.stderr.contains("hours a week apply only to a child on roll"))
    let tooMany = try cli.run(["case", "open", id, "--reason", "part-time-timetable", "--hours", "35"], user: "cw")
    #expect(tooMany.status == 65)
    #expect(tooMany.stderr.contains("--hours: 35 hours a week is not a part-time timetable"))
    #expect(try cases(cli) == "0")

    let ref = try cli.expectSuccess(
      ["case", "open", id, "--reason", "part-time-timetable", "--hours", "12.5", "--source", "virtual-school"],
      user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let show = try cli.expectSuccess(["case", "show", ref], user: "cw")
    #expect(show.contains("On roll, part-time timetable"))
    #expect(show.contains("On roll, not in full-time education"))
    #expect(show.contains("12.5 hours a week (part-time)"))
    #expect(show.contains("Virtual school"))
    // The child is at school: none of the lost-child enquiries is asked for.
    #expect(show.contains("4 outstanding: last-school, home-visit, health, social-care"))

    try cli.expectSuccess(["case", "update", ref, "--hours", "20", "--reason", "Timetable extended"], user: "cw")
    #expect(try cli.expectSuccess(["case", "show", ref], user: "cw").contains("20 hours a week (part-time)"))
    // The same again changes nothing, and says so; hours that round out of range are refused as typed.
    let same = try cli.run(["case", "update", ref, "--hours", "20", "--reason", "again"], user: "cw")
    #expect(same.status == 65 && same.stderr.contains("nothing to change"))
    let rounds = try cli.run(["case", "update", ref, "--hours", "32.49", "--reason", "x"], user: "cw")
    #expect(rounds.stderr.contains("--hours: 32.49 hours a week rounds to 32.5 (hours are kept to the quarter hour)"))

    // A child on roll is not untraceable; full time restored needs its evidence.
    let untraceable = try cli.run(
      ["case", "close", ref, "--outcome", "lost-pupil-untraceable", "--evidence", "x"], user: "cw")
    #expect(untraceable.status == 65)
    #expect(
      untraceable.stderr.contains(
        "lost-pupil-untraceable cannot end a case opened as part-time-timetable (on roll, not in full-time education)"))
    let bare = try cli.run(["case", "close", ref, "--outcome", "full-time-restored", "--evidence", "Back"], user: "cw")
    #expect(bare.status == 65)
    #expect(bare.stderr.contains("the confirmed start date; the school's confirmation of the full-time timetable"))
    try cli.expectSuccess(
      [
        "case", "close", ref, "--outcome", "full-time-restored", "--evidence", "Back on a full timetable",
        "--start-date", "2026-11-16", "--confirmation", "Head teacher's letter of 16 November",
      ], user: "cw")
    #expect(
      try sqlite3(cli.db, "SELECT status, outcome, weeklyHours FROM cmeCase WHERE reference = '\(ref)';").output
        == "closed|full-time-restored|20.0\n")
    try cli.expectSuccess(["audit", "verify"], user: "admin")
  }

  @Test func a_case_moves_between_the_parts_of_the_register_with_its_reason() throws {
    let cli = try CLI.withUsers()
    let id = try child(cli)
    let ref = try cli.expectSuccess(["case", "open", id, "--reason", "informal-exclusion"], user: "cw")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    // The family leaves without a word: the child is now missing education.
    let stillOnRoll = try cli.run(
      ["case", "update", ref, "--whereabouts", "unknown", "--reason", "Family gone"], user: "cw")
    #expect(stillOnRoll.status == 65)
    // The new reason brings its whereabouts: unknown.
    try cli.expectSuccess(
      [
        "case", "update", ref, "--case-reason", "whereabouts-unknown", "--reason",
        "Family gone; the school has started deletion enquiries",
      ], user: "cw")
    let show = try cli.expectSuccess(["case", "show", ref], user: "cw")
    #expect(show.contains("Whereabouts unknown"))
    #expect(show.contains("police"))
    #expect(
      try sqlite3(cli.db, "SELECT reason, whereaboutsKnown FROM cmeCase WHERE reference = '\(ref)';").output
        == "whereabouts-unknown|0\n")
    let entry = try sqlite3(
      cli.db, "SELECT count(*) FROM auditEntry WHERE action = 'case.update' AND entityId = '\(ref)';"
    ).output
    #expect(entry == "1\n")
  }
}
