import CMETestSupport
import Foundation
import Testing

/// `--if-version`: no silent overwrite of someone else's change.
struct VersionCLITests {
  @Test func a_change_from_a_stale_version_is_refused_naming_who_changed_it() throws {
    let cli = try CLI.withUsers()
    let id = try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02", "--sex", "M"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let ref = try cli.expectSuccess(["case", "open", id, "--reason", "whereabouts-unknown"], user: "cw")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let show = try cli.expectSuccess(["case", "show", ref], user: "mgr")
    let line = try #require(show.split(separator: "\n").first { $0.contains("Version") })
    let version = String(line.split(separator: " ").first { Int($0) != nil }!)
    try cli.expectSuccess(["rag", "set", ref, "red", "--reason", "Police concern"], user: "cw")
    let stale = try cli.run(["rag", "set", ref, "green", "--reason", "Seen", "--if-version", version], user: "mgr")
    #expect(stale.status == 1)
    #expect(stale.stderr.contains("was changed by cw (rag.set"))
    #expect(stale.stderr.contains("nothing was saved"))
    let closeStale = try cli.run(
      [
        "case", "close", ref, "--outcome", "moved-abroad-unconfirmed", "--evidence", "Neighbours say the family left",
        "--if-version", version,
      ], user: "mgr")
    #expect(closeStale.status == 1)
    let fresh = try cli.expectSuccess(["case", "show", ref], user: "mgr")
    let now = String(
      try #require(fresh.split(separator: "\n").first { $0.contains("Version") }).split(separator: " ").first {
        Int($0) != nil
      }!)
    try cli.expectSuccess(
      ["case", "update", ref, "--whereabouts", "known", "--reason", "Seen at home", "--if-version", now], user: "mgr")
  }

  @Test func a_childs_record_carries_its_version_too() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["user", "add", "cw2", "--role", "caseworker"], user: "admin")
    let id = try cli.expectSuccess(
      ["child", "add", "--surname", "Ward", "--forename", "Tommy", "--dob", "2014-03-02"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let show = try cli.expectSuccess(["child", "show", id], user: "cw")
    let line = try #require(show.split(separator: "\n").first { $0.contains("Version") })
    let version = String(line.split(separator: " ").first { Int($0) != nil }!)
    // Someone else corrects the record meanwhile…
    try cli.expectSuccess(["child", "update", id, "--cp-plan", "yes", "--reason", "Plan from today"], user: "cw2")
    // …so a change made from the version first seen is refused, and changes nothing.
    let before = try cli.auditCount()
    let stale = try cli.run(
      ["child", "update", id, "--cp-plan", "no", "--reason", "Plan ended", "--if-version", version], user: "cw")
    #expect(stale.status == 1)
    #expect(stale.stderr.contains("child \(id) was changed by cw2 (child.update"))
    #expect(try cli.auditCount() == before)
    let fresh = try cli.expectSuccess(["child", "show", id], user: "cw")
    let now = String(
      try #require(fresh.split(separator: "\n").first { $0.contains("Version") }).split(separator: " ").first {
        Int($0) != nil
      }!)
    try cli.expectSuccess(
      ["child", "update", id, "--cp-plan", "no", "--reason", "Plan ended", "--if-version", now], user: "cw")
  }
}
