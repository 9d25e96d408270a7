import CMETestSupport
import Foundation
import Testing

struct ChildCLITests {
  @Test func a_childs_record_names_the_year_group_as_the_board_pack_does() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["child", "add", "--surname", "Lee", "--forename", "Amy", "--dob", "2023-01-10"], user: "cw")
    let show = try cli.expectSuccess(["child", "show", "1"], user: "cw")
    #expect(show.contains("2023-01-10 (age 3, year group Nursery)"), "got: \(show)")
  }

  @Test func a_legal_name_and_date_of_birth_are_corrected_and_fields_emptied_with_a_reason() throws {
    let cli = try CLI.withUsers()
    let id = try cli.expectSuccess(
      [
        "child", "add", "--surname", "Smyth", "--forename", "Jo", "--dob", "2014-03-12", "--ethnicity", "WBRI",
        "--religion", "None stated",
      ], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let noReason = try cli.run(["child", "update", id, "--surname", "Smith"], user: "cw")
    #expect(noReason.status == 64)
    try cli.expectSuccess(
      [
        "child", "update", id, "--surname", "Smith", "--dob", "2014-03-21", "--clear", "ethnicity", "--clear",
        "religion", "--reason", "Birth certificate seen",
      ], user: "cw")
    let show = try cli.expectSuccess(["child", "show", id], user: "cw")
    #expect(show.contains("Child \(id): Jo Smith"))
    #expect(show.contains("2014-03-21"))
    #expect(show.contains("Jo Smyth"))  // kept as a former name
    #expect(!show.contains("WBRI"))
    // The old name still finds the child; the log holds the record before and after.
    #expect(try cli.expectSuccess(["child", "find", "Smyth"], user: "cw").contains("Jo Smith"))
    let entry = try sqlite3(
      cli.db,
      "SELECT reason, before LIKE '%Smyth%', after LIKE '%2014-03-21%' FROM auditEntry WHERE action = 'child.update';"
    ).output
    #expect(entry == "Birth certificate seen|1|1\n")
    let bad = try cli.run(["child", "update", id, "--clear", "name", "--reason", "x"], user: "cw")
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("middle-names"))
    let future = try cli.run(["child", "update", id, "--dob", "2030-01-01", "--reason", "x"], user: "cw")
    #expect(future.status == 65)
  }

  @Test func a_search_cut_short_says_so_in_every_format() throws {
    let cli = try CLI.withUsers()
    for i in 0..<3 {
      try cli.expectSuccess(
        ["child", "add", "--surname", "Okonkwo", "--forename", "Ada\(i)", "--dob", "2014-03-02"], user: "cw")
    }
    let all = try cli.run(["child", "find", "okonkwo"], user: "cw")
    #expect(all.status == 0)
    #expect(all.stderr == "3 found\n")
    let cut = try cli.run(["child", "find", "okonkwo", "--limit", "2", "--format", "csv"], user: "cw")
    #expect(cut.status == 0)
    #expect(cut.stdout.split(whereSeparator: \.isNewline).count == 3)  // the header and two children
    let every = try cli.run(["child", "find", "okonkwo", "--limit", "0", "--format", "csv"], user: "cw")
    #expect(every.stdout.split(whereSeparator: \.isNewline).count == 4)
    #expect(every.stderr.isEmpty)
    // A limit beyond any register is all of them, not a crash.
    let huge = try cli.run(["child", "find", "okonkwo", "--limit", String(Int.max)], user: "cw")
    #expect(huge.status == 0 && huge.stderr == "3 found\n")
    #expect(
      cut.stderr
        == "more than 2 children match; the 2 recorded first are shown, by name. Narrow the search with a forename or a date of birth, or list them all with --limit 0\n"
    )
  }

  @Test func the_professionals_around_a_child_are_recorded_shown_and_ended() throws {
    let cli = try CLI.withUsers()
    let id = try cli.expectSuccess(
      ["child", "add", "--surname", "A", "--forename", "Child", "--dob", "2014-03-02", "--looked-after"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let sw = try cli.expectSuccess(
      [
        "child", "professional", "add", id, "--role", "social-worker", "--name", "Sam Lee", "--organisation",
        "Nottingham Children's Services", "--contact", "0115 900 0001", "--since", "2026-09-01",
      ], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    try cli.expectSuccess(
      ["child", "professional", "add", id, "--role", "iro", "--name", "Pat Kaur"], user: "cw")
    let show = try cli.expectSuccess(["child", "show", id], user: "cw")
    #expect(show.contains("Social worker"))
    #expect(
      show.contains("Sam Lee, Nottingham Children's Services, 0115 900 0001 (professional \(sw), since 2026-09-01)"))
    #expect(show.contains("Pat Kaur"))
    try cli.expectSuccess(["child", "professional", "end", sw, "--on", "2026-11-13"], user: "cw")
    #expect(try cli.expectSuccess(["child", "show", id], user: "cw").contains("until 2026-11-13"))
    let again = try cli.run(["child", "professional", "end", sw], user: "cw")
    #expect(again.status == 1 && again.stderr.contains("already stopped"))
    let badRole = try cli.run(["child", "professional", "add", id, "--role", "wizard", "--name", "X"], user: "cw")
    #expect(badRole.status == 64 && badRole.stderr.contains("social-worker"))
    let early = try cli.run(["child", "professional", "end", sw, "--on", "2030-01-01"], user: "cw")
    #expect(early.status == 65)
    #expect(try cli.run(["audit", "verify"], user: "mgr").status == 0)
  }
}
