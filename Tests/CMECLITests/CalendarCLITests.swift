import CMETestSupport
import Foundation
import Testing

/// Training days, a school's own calendar and the clocks that count in them.
struct CalendarCLITests {
  @Test func an_academys_own_calendar_counts_its_childrens_days() throws {
    let cli = try CLI.withUsers()
    let file = cli.directory.file("academy.csv")
    try """
    kind,start,end,description
    term,2026-09-10,2026-12-18,Autumn term 2026
    training,2026-11-02,2026-11-03,Training days
    closure,2026-12-25,2026-12-25,Christmas Day

    """.write(toFile: file, atomically: true, encoding: .utf8)
    let before = try cli.auditCount()
    let refused = try cli.run(["calendar", "import", file, "--school", "12"])
    #expect(refused.status == 65 && refused.stderr.contains("--school"))
    #expect(try cli.auditCount() == before)
    let imported = try cli.expectSuccess(["calendar", "import", file, "--school", "138765"])
    #expect(
      imported.contains("Imported 1 terms, 1 closures and 1 training days from \(file) as URN 138765's own calendar"))
    let show = try cli.expectSuccess([
      "calendar", "show", "--school", "138765", "--from", "2026-09-01", "--to", "2026-09-18",
    ])
    #expect(show.contains("7 school days from 2026-09-01 to 2026-09-18, both included."))
    #expect(try cli.run(["calendar", "show"]).stderr.contains("Schools with their own calendar: URN 138765"))
    #expect(try cli.run(["calendar", "show", "--school", "100001"]).status != 0)

    // A child who last attended the academy: the school days missed count in its calendar.
    for (surname, school) in [("Academy", "138765"), ("Maintained", "892/4001")] {
      let id = try cli.expectSuccess(
        ["child", "add", "--surname", surname, "--forename", "Sam", "--dob", "2014-03-02", "--last-school", school],
        user: "cw"
      ).trimmingCharacters(in: .whitespacesAndNewlines)
      try cli.expectSuccess(
        [
          "case", "open", id, "--reason", "whereabouts-unknown", "--last-attended", "2026-09-02", "--opened",
          "2026-09-18",
        ], user: "cw", today: "2026-09-18")
    }
    let academy = try cli.expectSuccess(["case", "show", "CME-2026-00001"], user: "cw", today: "2026-09-18")
    let maintained = try cli.expectSuccess(["case", "show", "CME-2026-00002"], user: "cw", today: "2026-09-18")
    #expect(academy.contains("2026-09-02 (7 school days missed)"))
    #expect(maintained.contains("2026-09-02 (11 school days missed)"))
  }

  @Test func ground_h_counts_from_the_day_the_leave_ended() throws {
    let cli = try CLI.withUsers()
    let id = try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let ref = try cli.expectSuccess(
      ["case", "open", id, "--reason", "whereabouts-unknown", "--ground", "H", "--deletion-date", "2026-11-13"],
      user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let future = try cli.run(["case", "update", ref, "--leave-ended", "2026-11-17", "--reason", "x"], user: "cw")
    #expect(future.status == 65 && future.stderr.contains("--leave-ended"))
    try cli.expectSuccess(
      ["case", "update", ref, "--leave-ended", "2026-11-06", "--reason", "The school's leave record"], user: "cw")
    let show = try cli.expectSuccess(["case", "show", ref], user: "cw")
    #expect(show.contains("OVERDUE  Ground H: 10 school days without return after leave ended"))
    #expect(show.contains("only 5 school days after the leave ended on 2026-11-06, before deletion on 2026-11-13"))
    #expect(show.contains("CTF sent on within 15 school days of the deletion: due 2026-12-04"))
  }
}

/// Spells of illness recorded on a case, and the clock they add up to.
struct IllnessCLITests {
  @Test func spells_of_illness_add_up_on_the_case() throws {
    let cli = try CLI.withUsers()
    let id = try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let ref = try cli.expectSuccess(
      ["case", "open", id, "--reason", "other", "--whereabouts", "known", "--opened", "2026-09-07"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    try cli.expectSuccess(["case", "illness", ref, "--from", "2026-09-14", "--to", "2026-09-18"], user: "cw")
    try cli.expectSuccess(["case", "illness", ref, "--from", "2026-10-05", "--to", "2026-10-09"], user: "cw")
    let overlap = try cli.run(["case", "illness", ref, "--from", "2026-10-08"], user: "cw")
    #expect(overlap.status == 65 && overlap.stderr.contains("--from: the spell overlaps one already recorded"))
    let backwards = try cli.run(["case", "illness", ref, "--from", "2026-11-10", "--to", "2026-11-09"], user: "cw")
    #expect(backwards.status == 65 && backwards.stderr.contains("--to: 2026-11-09 is before 2026-11-10"))
    try cli.expectSuccess(["case", "illness", ref, "--from", "2026-11-09"], user: "cw")
    let show = try cli.expectSuccess(["case", "show", ref], user: "cw")
    // 5 + 5 + 9–16 Nov (6): 16 school days, the 15th on Fri 13 Nov.
    #expect(show.contains("OVERDUE  Sickness return at 15 school days' illness (cumulative): due 2026-11-13"))
    #expect(show.contains("illness absent ill from 2026-10-05 to 2026-10-09"))
    #expect(try cli.run(["audit", "verify"]).status == 0)
  }
}
