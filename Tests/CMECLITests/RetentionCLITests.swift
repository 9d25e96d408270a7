import CMETestSupport
import Foundation
import Testing

struct RetentionCLITests {
  /// A day on which a child born in 2014 is past their 25th birthday.
  let later = "2039-03-03"

  @Test func a_record_is_reviewed_held_released_and_disposed_of() throws {
    let cli = try CLI.withUsers()
    let id = try cli.expectSuccess(
      ["child", "add", "--surname", "Quixotic", "--forename", "Zebedee", "--dob", "2014-03-02"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    // Not yet due today; due later, for managers only.
    let now = try cli.expectSuccess(["retention", "review"])
    #expect(!now.contains("Quixotic"))
    let review = try cli.run(["retention", "review", "--format", "csv"], today: later)
    #expect(review.stdout.contains("\(id),Zebedee Quixotic,2014-03-02,,2039-03-02,due"))
    let caseworker = try cli.run(["retention", "review"], user: "cw", today: later)
    #expect(caseworker.status == 77)
    // A hold keeps it.
    try cli.expectSuccess(["retention", "hold", id, "--reason", "Inquiry"])
    let held = try cli.run(["retention", "dispose", "--confirm"], today: later)
    #expect(held.stdout.contains("0 records disposed of."))
    let again = try cli.run(["retention", "hold", id, "--reason", "Inquiry"])
    #expect(again.status != 0 && again.stderr.contains("already on hold"))
    try cli.expectSuccess(["retention", "release", id, "--reason", "Inquiry closed"])
    // Without --confirm nothing changes.
    let entries = try cli.auditCount()
    let dry = try cli.run(["retention", "dispose"], today: later)
    #expect(dry.stdout.contains("1 record is due for disposal: children \(id)."))
    #expect(dry.stderr.contains("Nothing was changed"))
    #expect(try cli.auditCount() == entries + 1)  // the look is logged
    let done = try cli.run(["retention", "dispose", "--confirm"], today: later)
    #expect(done.status == 0, "\(done.stderr)")
    #expect(done.stdout.contains("Disposed of child \(id)'s record"))
    #expect(try cli.run(["audit", "verify"]).status == 0)
    #expect(!(try sqlite3(cli.db, ".dump").output.contains("Quixotic")))
    // The same child cannot be disposed of twice, and a child that is not there is named.
    let twice = try cli.run(["retention", "dispose", id, "--confirm"], today: later)
    #expect(twice.stderr.contains("already been disposed of"))
    let missing = try cli.run(["retention", "dispose", "999", "--confirm"], today: later)
    #expect(missing.stderr.contains("no child '999'"))
  }

  @Test func an_erasure_needs_a_second_manager() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["user", "add", "mgr2", "--role", "manager"], user: "admin")
    let id = try cli.expectSuccess(
      ["child", "add", "--surname", "Wrongchild", "--forename", "Ann", "--dob", "2015-05-05"], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let asked = try cli.expectSuccess(["retention", "erase", id, "--reason", "Recorded against the wrong family"])
    let request = try #require(asked.split(separator: "(request ").last?.split(separator: ")").first.map(String.init))
    let own = try cli.run(["retention", "erase", "--approve", request])
    #expect(own.status != 0 && own.stderr.contains("the one who asked cannot approve it"))
    let approved = try cli.expectSuccess(["retention", "erase", "--approve", request], user: "mgr2")
    #expect(approved.contains("Erased child \(id)'s record"))
    #expect(!(try sqlite3(cli.db, ".dump").output.contains("Wrongchild")))
    #expect(try cli.run(["audit", "verify"]).status == 0)
  }

  /// A disposal killed midway leaves every record, or none, disposed of.
  @Test func a_killed_disposal_leaves_the_register_before_or_after() throws {
    let cli = CLI()
    try cli.expectSuccess(["demo", "--children", "300", "--as-of", "2026-11-16"], user: "me")
    let due = try cli.run(["retention", "review", "--format", "csv"], user: "me", today: "2060-01-01").stdout
      .split(separator: "\r\n").filter { $0.hasSuffix(",due") }.count
    try #require(due > 50)
    let before = try sqlite3(cli.db, "SELECT count(*) FROM disposal; SELECT max(seq) FROM auditEntry;").output
    for delay in [0.15, 0.3, 0.6] {
      let copy = CLI()
      try FileManager.default.copyItem(atPath: cli.db, toPath: copy.db)
      let p = try copy.start(
        ["retention", "dispose", "--confirm"], user: "me", environment: ["CME_TEST_TODAY": "2060-01-01"])
      Thread.sleep(forTimeInterval: delay)
      stop(p)
      let disposed = try sqlite3(copy.db, "SELECT count(*) FROM disposal;").output
      #expect(disposed == "0\n" || disposed == "\(due)\n", "after \(delay) s: \(disposed)")
      if disposed == "0\n" {
        #expect(
          try sqlite3(copy.db, "SELECT count(*) FROM disposal; SELECT max(seq) FROM auditEntry;").output == before)
      }
      #expect(try copy.run(["audit", "verify"], user: "me").status == 0)
    }
  }

  /// A restore killed midway leaves the register as it was or restored, never missing.
  @Test func a_killed_restore_leaves_the_register_before_or_after() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["child", "add", "--surname", "A", "--forename", "B", "--dob", "2014-03-02"], user: "cw")
    let backup = cli.directory.file("backup.sqlite")
    try cli.expectSuccess(["backup", "--out", backup])
    try cli.expectSuccess(["child", "add", "--surname", "C", "--forename", "D", "--dob", "2014-03-02"], user: "cw")
    for delay in [0.0, 0.05, 0.1, 0.2] {
      let copy = try CLI.withUsers()
      try FileManager.default.removeItem(atPath: copy.db)
      try FileManager.default.copyItem(atPath: cli.db, toPath: copy.db)
      let p = try copy.start(["restore", backup], user: "admin")
      Thread.sleep(forTimeInterval: delay)
      stop(p)
      #expect(FileManager.default.fileExists(atPath: copy.db), "after \(delay) s the register is missing")
      let children = try sqlite3(copy.db, "SELECT count(*) FROM child;").output
      #expect(children == "1\n" || children == "2\n")
      #expect(try copy.run(["audit", "verify"], user: "admin").status == 0)
    }
  }

  /// The first checkpoint, killed midway, leaves the register as it was or
  /// with its key recorded; a key left without its record is named.
  @Test func a_killed_first_checkpoint_leaves_the_register_before_or_after() throws {
    for delay in [0.0, 0.05, 0.1, 0.2] {
      let cli = try CLI.withUsers()
      let entries = try cli.auditCount()
      let out = cli.directory.file("checkpoint.json")
      let p = try cli.start(["audit", "checkpoint", "--out", out], user: "mgr")
      Thread.sleep(forTimeInterval: delay)
      stop(p)
      let after = try cli.auditCount()
      #expect(after == entries || after == entries + 1)
      #expect(try cli.run(["audit", "verify"]).status == 0)
      // The next checkpoint works, or names the key the log does not record.
      let next = try cli.run(["audit", "checkpoint", "--out", cli.directory.file("next.json")])
      #expect(next.status == 0 || next.stderr.contains("the log does not record it"), "\(next.stderr)")
      if !FileManager.default.fileExists(atPath: out) { continue }
      #expect(try cli.run(["audit", "verify", "--checkpoint", out]).status == 0)
    }
  }

  /// Kills `p` if it is still running (it may finish first: either way the register is checked after).
  func stop(_ p: Process) {
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
  }
}
