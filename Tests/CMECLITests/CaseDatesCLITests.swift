import CMETestSupport
import Foundation
import Testing

struct CaseDatesCLITests {
  @Test func case_update_records_the_ground_and_deletion_date_under_the_right_regulations() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02"], user: "cw")
    // Referred by the school on the 10th school day of absence.
    try cli.expectSuccess(
      [
        "case", "open", "1", "--reason", "whereabouts-unknown", "--source", "school-referral", "--last-attended",
        "2026-10-09", "--opened", "2026-10-23",
      ], user: "cw")
    let wrong = try cli.run(
      ["case", "update", "CME-2026-00001", "--ground", "2006:i", "--deletion-date", "2026-11-16", "--reason", "x"],
      user: "cw")
    #expect(wrong.status == 65)
    #expect(wrong.stderr.contains("error: --ground: '2006:i' names the 2006 regulations"))
    #expect(wrong.stderr.contains("write J"))
    let missing = try cli.run(["case", "update", "CME-2026-00001", "--ground", "i", "--reason", "x"], user: "cw")
    #expect(missing.status == 65)
    #expect(missing.stderr.contains("error: --deletion-date: CME-2026-00001 has no deletion date"))
    let out = try cli.expectSuccess(
      [
        "case", "update", "CME-2026-00001", "--ground", "i", "--deletion-date", "2026-11-16", "--reason",
        "School deleted on ground I",
      ], user: "cw")
    #expect(out.contains("deleted 2026-11-16 on ground I (2024 regulations)"))
    let show = try cli.expectSuccess(["case", "show", "CME-2026-00001"], user: "cw")
    #expect(show.contains("Deletion ground     I (2024 regulations)"))
    #expect(show.contains("Deleted from roll   2026-11-16"))
    #expect(show.contains("MET      Ground I: 20 school days' continuous absence before deletion"))
    #expect(!show.contains("OVERDUE  CME referral"))
    #expect(!show.contains("off-rolling"))
  }

  @Test func a_child_outside_school_age_needs_a_stated_reason() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Amy", "--dob", "2022-05-01"], user: "cw")
    let refused = try cli.run(["case", "open", "1", "--reason", "other"], user: "cw")
    #expect(refused.status == 65)
    #expect(
      refused.stderr.contains(
        "error: --outside-school-age-reason: the child (born 2022-05-01) is 4 on 2026-11-16 and is not yet of compulsory school age"
      ))
    try cli.expectSuccess(
      ["case", "open", "1", "--reason", "other", "--outside-school-age-reason", "Sibling of a missing child"],
      user: "cw")
  }
}
