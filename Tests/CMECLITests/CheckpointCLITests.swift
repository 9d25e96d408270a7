import CMETestSupport
import Foundation
import Testing

/// Signed checkpoints and the witness folder.
struct CheckpointCLITests {
  @Test func a_checkpoint_is_signed_by_a_key_kept_outside_the_register() throws {
    let cli = try CLI.withUsers()
    let point = cli.directory.file("point.json")
    try cli.expectSuccess(["audit", "checkpoint", "--out", point])
    let key = cli.db + ".signing-key"
    let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    let text = try String(contentsOfFile: point, encoding: .utf8)
    #expect(text.contains("\"signature\""))
    #expect(text.contains("\"publicKey\""))
    let ok = try cli.expectSuccess(["audit", "verify", "--checkpoint", point])
    #expect(ok.contains("It holds 1 signed checkpoint"))
    // Caseworkers cannot sign one.
    let cw = try cli.run(["audit", "checkpoint", "--out", cli.directory.file("cw.json")], user: "cw")
    #expect(cw.status == 77)
  }

  @Test func an_edited_or_foreign_checkpoint_is_refused() throws {
    let cli = try CLI.withUsers()
    let point = cli.directory.file("point.json")
    try cli.expectSuccess(["audit", "checkpoint", "--out", point])
    let text = try String(contentsOfFile: point, encoding: .utf8)
    let forged = cli.directory.file("forged.json")
    try text.replacingOccurrences(of: "\"sequence\" : 4", with: "\"sequence\" : 3").write(
      toFile: forged, atomically: true, encoding: .utf8)
    let r = try cli.run(["audit", "verify", "--checkpoint", forged])
    #expect(r.status == 2)
    #expect(r.stderr.contains("is not validly signed"))

    let other = try CLI.withUsers()
    let otherPoint = other.directory.file("other.json")
    try other.expectSuccess(["audit", "checkpoint", "--out", otherPoint])
    let foreign = try cli.run(["audit", "verify", "--checkpoint", otherPoint])
    #expect(foreign.status == 2)
    #expect(foreign.stderr.contains("is of another register"))
  }

  @Test func an_older_copy_of_the_register_is_named_as_such() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["audit", "checkpoint", "--out", cli.directory.file("first.json")])
    let copy = cli.directory.file("old.sqlite")
    try cli.expectSuccess(["backup", "--out", copy], user: "admin")
    try cli.expectSuccess(
      ["child", "add", "--surname", "A", "--forename", "B", "--dob", "2014-03-02", "--sex", "F"], user: "cw")
    let witness = TemporaryDirectory()
    try cli.expectSuccess(["audit", "witness", witness.file("w")], user: "admin")
    let files = try FileManager.default.contentsOfDirectory(atPath: witness.file("w")).filter { $0.hasSuffix(".json") }
    #expect(files.count == 1)
    try FileManager.default.removeItem(atPath: cli.db)
    try FileManager.default.copyItem(atPath: copy, toPath: cli.db)
    let r = try cli.run(["audit", "verify", "--checkpoint", witness.file("w")], user: "admin")
    #expect(r.status == 2)
    #expect(r.stderr.contains("this is an older copy of the register"))
  }

  @Test func the_witness_folder_must_be_outside_the_registers() throws {
    let cli = try CLI.withUsers()
    let r = try cli.run(["audit", "witness", cli.directory.file("inside")], user: "admin")
    #expect(r.status == 65)
    #expect(r.stderr.contains("is inside the register's folder"))
  }

  @Test func a_dropped_trigger_and_a_bare_redaction_are_reported() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(
      ["child", "add", "--surname", "A", "--forename", "B", "--dob", "2014-03-02", "--sex", "F"], user: "cw")
    try sqlite3(cli.db, "DROP TRIGGER cmeCase_datesOnUpdate;")
    let r = try cli.run(["audit", "verify"])
    #expect(r.status == 2)
    #expect(r.stderr.hasPrefix("error: the register is damaged: the trigger cmeCase_datesOnUpdate is missing"))

    let other = try CLI.withUsers()
    try other.expectSuccess(
      ["child", "add", "--surname", "A", "--forename", "B", "--dob", "2014-03-02", "--sex", "F"], user: "cw")
    try sqlite3(other.db, "UPDATE auditEntry SET before = NULL, after = NULL, redacted = 1 WHERE seq = 4;")
    let bare = try other.run(["audit", "verify"])
    #expect(bare.status == 2)
    #expect(bare.stderr.contains("entry 4: its payload was removed, but no approved redaction"))
    // The procedure: one manager asks, another approves.
    try other.expectSuccess(["user", "add", "mgr2", "--role", "manager"], user: "admin")
    let ask = try other.expectSuccess(["audit", "redact", "3", "--reason", "test entry"], user: "mgr")
    #expect(ask.contains("Another manager approves it with: cme audit redact --approve"))
    let same = try other.run(["audit", "redact", "--approve", "6"], user: "mgr")
    #expect(same.stderr.contains("cannot also approve it"))
    try other.expectSuccess(["audit", "redact", "--approve", "6"], user: "mgr2")
  }
}
