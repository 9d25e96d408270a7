import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import Testing

/// `cme backup` and `cme restore`, as an administrator would use them.
struct BackupCLITests {
  func addChildren(_ cli: CLI, _ n: Int, from: Int = 0) throws {
    for i in from..<(from + n) {
      try cli.expectSuccess(
        ["child", "add", "--surname", "Ward\(i)", "--forename", "Tommy", "--dob", "2014-03-02", "--sex", "M"],
        user: "cw")
    }
  }

  @Test func a_backup_taken_while_others_write_round_trips_through_restore() throws {
    let cli = try CLI.withUsers()
    try addChildren(cli, 3)
    // Someone keeps writing while the backup is taken.
    let writer = try cli.start(
      ["child", "add", "--surname", "Busy", "--forename", "Bee", "--dob", "2015-01-01", "--sex", "F"], user: "cw")
    let copy = cli.directory.file("backup.sqlite")
    let out = try cli.expectSuccess(["backup", "--out", copy], user: "admin")
    writer.waitUntilExit()
    #expect(
      out.contains(
        "The copy passed SQLite's quick_check and the audit log's checks (its chain, and every row against it)."))
    let mode = try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(
      try sqlite3(cli.db, "SELECT count(*) FROM auditEntry WHERE action = 'register.backup';").output.hasPrefix("1"))
    let childrenInCopy = try sqlite3(copy, "SELECT count(*) FROM child;").output
    try addChildren(cli, 2, from: 10)
    let restored = try cli.expectSuccess(["restore", copy], user: "admin")
    #expect(restored.contains("The register as it was is kept at"))
    #expect(try sqlite3(cli.db, "SELECT count(*) FROM child;").output == childrenInCopy)
    #expect(try cli.expectSuccess(["audit", "verify"], user: "admin").contains("intact"))
    #expect(
      try sqlite3(cli.db, "SELECT action FROM auditEntry ORDER BY seq DESC LIMIT 1;").output.hasPrefix(
        "register.restore"))
    let kept = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter {
      $0.hasPrefix("register.sqlite.before-restore-")
    }
    #expect(kept.count == 1)
    #expect(try sqlite3(cli.directory.file(kept[0]), "SELECT count(*) FROM child;").output.hasPrefix("6"))
  }

  @Test func a_damaged_backup_is_refused_and_nothing_moves() throws {
    let cli = try CLI.withUsers()
    try addChildren(cli, 2)
    let copy = cli.directory.file("backup.sqlite")
    try cli.expectSuccess(["backup", "--out", copy], user: "admin")
    try sqlite3(copy, "DROP TRIGGER auditEntry_noUpdate; UPDATE auditEntry SET actor = 'nobody' WHERE seq = 2;")
    let before = try sqlite3(cli.db, "SELECT count(*) FROM auditEntry;").output
    let r = try cli.run(["restore", copy], user: "admin")
    #expect(r.status != 0)
    #expect(r.stderr.contains("does not check out, so nothing was restored"))
    #expect(try sqlite3(cli.db, "SELECT count(*) FROM auditEntry;").output == before)
    let names = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path)
    #expect(!names.contains { $0.contains("before-restore") })
  }

  @Test func a_backup_never_overwrites_the_register_and_caseworkers_cannot_take_one() throws {
    let cli = try CLI.withUsers()
    let r = try cli.run(["backup", "--out", cli.db, "--force"], user: "admin")
    #expect(r.status == 65)
    #expect(r.stderr.contains("is the register"))
    let cw = try cli.run(["backup", "--out", cli.directory.file("b.sqlite")], user: "cw")
    #expect(cw.status == 77)
    #expect(!FileManager.default.fileExists(atPath: cli.directory.file("b.sqlite")))
  }

  @Test func a_kill_during_a_backup_leaves_no_file_and_no_entry() throws {
    let cli = try CLI.withUsers()
    try addChildren(cli, 2)
    let copy = cli.directory.file("backup.sqlite")
    let marker = cli.directory.file("held")
    let p = try cli.start(["backup", "--out", copy], user: "admin", environment: ["CME_TEST_HOLD_OUTPUT": marker])
    for _ in 0..<200 where !FileManager.default.fileExists(atPath: marker) { usleep(50_000) }
    cli.killOutright(p)
    #expect(!FileManager.default.fileExists(atPath: copy))
    #expect(
      try sqlite3(cli.db, "SELECT count(*) FROM auditEntry WHERE action = 'register.backup';").output.hasPrefix("0"))
    // SIGKILL leaves no chance to clean up: a hidden temporary may remain, never the name asked for.
    let names = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path)
    #expect(names.filter { $0.contains("backup") }.allSatisfy { $0.hasPrefix(".backup.sqlite.cme-") })
  }
}
