import CMEDomain
import CMETestSupport
import Foundation
import Testing

/// The DfE's termly return, checked against the register read by `sqlite3`.
struct ReturnCLITests {
  @Test func the_dfe_return_on_the_demo_matches_the_register() throws {
    let cli = CLI()
    try cli.expectSuccess(["demo", "--children", "300", "--seed", "2", "--as-of", "2026-11-16"], user: "me")
    let census = "2026-11-12"
    let csv = try cli.expectSuccess(["report", "dfe-cme", "--census-date", census, "--format", "csv"], user: "me")
    var figures: [String: Int] = [:]
    for line in csv.split(whereSeparator: \.isNewline).dropFirst() {
      let f = line.split(separator: ",")
      figures["\(f[0])|\(f[1])"] = Int(f[2])
    }
    // The open cases on the census day, straight from the file; children on
    // roll but not in full-time education are not in the DfE's count.
    let onRoll = "'part-time-timetable', 'informal-exclusion', 'lac-no-suitable-place'"
    let allRows = try sqlite3(
      cli.db,
      """
      SELECT c.childId, ch.dateOfBirth, ch.sex, c.reason FROM cmeCase c JOIN child ch ON ch.id = c.childId
      WHERE c.openedOn <= '\(census)' AND (c.closedOn IS NULL OR c.closedOn > '\(census)');
      """
    ).output.split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
    let rows = allRows.filter { !onRoll.contains("'\($0[3])'") }
    #expect(allRows.count > rows.count)
    #expect(
      figures["census day|open cases of children on roll but not in full-time education (not counted)"]
        == allRows.count - rows.count)
    let day = LocalDate(iso: census)!
    let counted = rows.filter { CompulsorySchoolAge(dateOfBirth: LocalDate(iso: $0[1])!).contains(day) }
    #expect(counted.count > 15)
    #expect(figures["census day|children missing education"] == counted.count)
    #expect(
      figures["census day|open cases of children outside compulsory school age (not counted)"]
        == rows.count - counted.count)
    #expect(figures["sex|female"] == counted.filter { $0[2] == "F" }.count)
    #expect(figures["sex|male"] == counted.filter { $0[2] == "M" }.count)
    for reason in Set(counted.map { $0[3] }) {
      #expect(figures["primary reason|\(reason)"] == counted.filter { $0[3] == reason }.count, "\(reason)")
    }
    let groups = figures.filter { $0.key.hasPrefix("year group|") }.values.reduce(0, +)
    #expect(groups == counted.count)
    let missing = figures.filter { $0.key.hasPrefix("time missing|") }.values.reduce(0, +)
    #expect(missing == counted.count)
    // At any point this year: every child with a case open on some day since 1 September.
    let sinceSeptember = try sqlite3(
      cli.db,
      """
      SELECT DISTINCT c.childId, ch.dateOfBirth FROM cmeCase c JOIN child ch ON ch.id = c.childId
      WHERE c.openedOn <= '\(census)' AND (c.closedOn IS NULL OR c.closedOn >= '2026-09-01')
        AND c.reason NOT IN (\(onRoll));
      """
    ).output.split(separator: "\n").map { $0.split(separator: "|").map(String.init) }.filter {
      let age = CompulsorySchoolAge(dateOfBirth: LocalDate(iso: $0[1])!)
      return age.from <= day && LocalDate(iso: "2026-09-01")! <= age.through
    }
    #expect(figures["at any point|2026/27 to the census day"] == Set(sinceSeptember.map { $0[0] }).count)
    // Made by managers, logged, and not for a census day still to come.
    #expect(try sqlite3(cli.db, "SELECT count(*) FROM auditEntry WHERE action = 'report.dfe-cme';").output == "1\n")
    let future = try cli.run(["report", "dfe-cme", "--census-date", "2026-12-01"], user: "me")
    #expect(future.status == 65)
    #expect(future.stderr.contains("--census-date: 2026-12-01 is in the future"))
    let caseworker = try cli.run(["report", "dfe-cme", "--census-date", census], user: "a.khan")
    #expect(caseworker.status == 77)
  }
}
