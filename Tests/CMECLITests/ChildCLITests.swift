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
}
