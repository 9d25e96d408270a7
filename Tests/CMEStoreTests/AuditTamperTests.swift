import CMEAudit
import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import Testing

/// Tampering through the plain `sqlite3` program, and what `verify` says.
struct AuditTamperTests {
  /// A register with a little history: users, three children, two cases, a rating.
  func history() throws -> TestRegister {
    let t = try TestRegister()
    let ref = try t.openCase()
    _ = try t.openCase()
    _ = try t.register.setRating(
      ref, to: .red, reason: "Family left suddenly", by: t.register.session("cw"), today: testToday)
    return t
  }

  let dropTriggers =
    "DROP TRIGGER auditEntry_noUpdate; DROP TRIGGER auditEntry_noDelete; DROP TRIGGER auditRow_noUpdate; DROP TRIGGER auditRow_noDelete;"

  @Test func the_log_refuses_update_and_delete() throws {
    let t = try history()
    let update = try sqlite3(t.path, "UPDATE auditEntry SET actor = 'x' WHERE seq = 3;")
    #expect(update.status != 0)
    #expect(update.output.contains("the audit log is append-only: its entries cannot be changed"))
    let delete = try sqlite3(t.path, "DELETE FROM auditEntry WHERE seq = 3;")
    #expect(delete.output.contains("the audit log is append-only: its entries cannot be deleted"))
    #expect(try t.register.verifyAudit(by: t.register.session("mgr")).isIntact)
  }

  @Test func an_intact_log_verifies_and_gives_its_head() throws {
    let t = try history()
    let v = try t.register.verifyAudit(by: t.register.session("cw"))
    #expect(v.isIntact)
    #expect(v.headSequence == Int64(v.entriesChecked))
    #expect(v.headHash.count == 64)
  }

  @Test func an_edited_entry_is_named() throws {
    let t = try history()
    try sqlite3(t.path, dropTriggers + "UPDATE auditEntry SET actor = 'mgr' WHERE seq = 8;")
    let v = try t.register.verifyAudit(by: t.register.session("mgr"))
    #expect(v.badSequence == 8)
    #expect(v.problem?.hasPrefix("entry 8: its hash does not match") == true)
  }

  @Test func an_edited_payload_is_named() throws {
    let t = try history()
    try sqlite3(
      t.path, dropTriggers + "UPDATE auditEntry SET after = replace(after, 'red', 'green') WHERE action = 'rag.set';")
    let v = try t.register.verifyAudit(by: t.register.session("mgr"))
    #expect(v.problem?.contains("its before/after values were changed") == true)
  }

  @Test func a_deleted_entry_is_named() throws {
    let t = try history()
    try sqlite3(t.path, dropTriggers + "DELETE FROM auditEntry WHERE seq = 5;")
    let v = try t.register.verifyAudit(by: t.register.session("mgr"))
    #expect(v.badSequence == 6)
    #expect(v.problem == "entry 6: follows entry 4; entries 5–5 were deleted")
  }

  @Test func reordered_entries_are_named() throws {
    let t = try history()
    // Swap the contents of entries 4 and 5 by renumbering them.
    try sqlite3(
      t.path,
      dropTriggers
        + "UPDATE auditEntry SET seq = 1000 WHERE seq = 4; UPDATE auditEntry SET seq = 4 WHERE seq = 5; UPDATE auditEntry SET seq = 5 WHERE seq = 1000;"
    )
    let v = try t.register.verifyAudit(by: t.register.session("mgr"))
    #expect(v.badSequence == 4)
  }

  @Test func a_cut_tail_is_caught_by_the_records_that_name_it() throws {
    let t = try history()
    let head = try t.register.verifyAudit(by: t.register.session("mgr")).headSequence
    // Cut the last entry (the rating change); the chain that is left is valid.
    try sqlite3(t.path, dropTriggers + "DELETE FROM auditEntry WHERE seq = \(head);")
    let v = try t.register.verifyAudit(by: t.register.session("mgr"))
    #expect(v.badSequence == head)
    #expect(v.problem?.contains("entries were cut from the end") == true)
  }

  @Test func a_cut_tail_with_its_records_is_caught_by_a_checkpoint() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    // The first checkpoint makes the register's key (an entry of its own).
    _ = try t.register.signedCheckpoint(by: t.register.session("mgr"))
    _ = try t.register.setRating(
      ref, to: .red, reason: "Family left suddenly", by: t.register.session("cw"), today: testToday)
    let point = try t.register.signedCheckpoint(by: t.register.session("mgr"))
    #expect(point.signatureIsValid)
    // Someone removes the last entry and the rating it describes, and rolls the case's rating back.
    try sqlite3(
      t.path,
      dropTriggers + """
        PRAGMA foreign_keys = OFF;
        DELETE FROM ragRating WHERE auditSeq = \(point.sequence);
        UPDATE cmeCase SET rag = 'amber', auditSeq = (SELECT auditSeq FROM caseStatusChange WHERE caseId = cmeCase.id) WHERE auditSeq = \(point.sequence);
        DELETE FROM auditRow WHERE seq = \(point.sequence);
        DELETE FROM auditEntry WHERE seq = \(point.sequence);
        """)
    // Dropped triggers are named…
    let dropped = try t.register.verifyAudit(by: t.register.session("mgr"))
    #expect(dropped.problem?.contains("the trigger auditEntry_noUpdate is missing") == true)
    // …but a careful forger puts them back, and without the checkpoint the log looks whole…
    try sqlite3(
      t.path,
      """
      CREATE TRIGGER auditEntry_noUpdate BEFORE UPDATE ON auditEntry
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its entries cannot be changed'); END;
      CREATE TRIGGER auditEntry_noDelete BEFORE DELETE ON auditEntry
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its entries cannot be deleted'); END;
      CREATE TRIGGER auditRow_noUpdate BEFORE UPDATE ON auditRow
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its row records cannot be changed'); END;
      CREATE TRIGGER auditRow_noDelete BEFORE DELETE ON auditRow
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its row records cannot be deleted'); END;
      """)
    #expect(try t.register.verifyAudit(by: t.register.session("mgr")).isIntact)
    // …with it, the cut is named.
    let v = try t.register.verifyAudit(by: t.register.session("mgr"), checkpoints: [point])
    #expect(v.badSequence == point.sequence)
    #expect(v.problem?.hasPrefix("entry \(point.sequence): missing") == true)
  }
}

struct DemoStoreTests {
  @Test func a_demo_register_is_consistent_and_verifies() throws {
    let dir = TemporaryDirectory()
    let (register, summary) = try Register.createDemo(
      at: dir.file("demo.sqlite"), children: 300, seed: 3, asOf: testToday, manager: "me",
      via: .commandLine(account: "test"))
    #expect(summary.children == 300)
    #expect(summary.openCases > 0)
    #expect(try register.verifyAudit(by: register.session("me")).isIntact)
    let status = try #require(try register.cycleStatus(by: register.session("me")))
    #expect(status.cycle.isOpen)
    #expect(status.checked == summary.checkedInCycle)
    #expect(status.total == summary.openCases)
    let toCheck = try register.casesToCheck(by: register.session("me"), today: testToday, limit: 10)
    #expect(toCheck.cases.count == min(10, summary.openCases - summary.checkedInCycle))
    // Worst first.
    let ratings = toCheck.cases.compactMap(\.summary.rag)
    #expect(ratings == ratings.sorted(by: >))
    // Its schema is exactly that of any register (the bulk load rebuilds its indexes).
    let schema = { (path: String) in
      try sqlite3(path, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name;").output
    }
    let plain = try Register(path: dir.file("plain.sqlite"))
    #expect(try schema(register.path) == schema(plain.path))
    // The same seed gives the same register.
    let (_, again) = try Register.createDemo(
      at: dir.file("demo.sqlite"), children: 300, seed: 3, asOf: testToday, manager: "me",
      via: .commandLine(account: "test"))
    #expect(again.cases == summary.cases && again.openCases == summary.openCases)
  }

  @Test func the_demo_never_overwrites_a_real_register() throws {
    let t = try TestRegister()
    #expect(
      throws: StoreError.conflict(
        "\(t.path) holds a real register; the demo never overwrites one; choose another file for the demo")
    ) {
      try Register.createDemo(
        at: t.path, children: 10, seed: 1, asOf: testToday, manager: "me", via: .commandLine(account: "test"))
    }
  }
}

struct AuditedTablesTests {
  /// `verify`'s tail check reads every table whose rows name their entry.
  @Test func every_table_with_an_audit_reference_is_checked() throws {
    let schema = try String(contentsOfFile: packageRoot + "/schema.sql", encoding: .utf8)
    var tables: Set<String> = []
    for block in schema.components(separatedBy: "CREATE TABLE ").dropFirst() {
      let name = String(block.prefix { $0 != " " && $0 != "(" })
      // A copy made while a table is rebuilt (`CREATE TABLE x AS SELECT`) is no table of the register.
      guard !block.dropFirst(name.count).hasPrefix(" AS ") else { continue }
      let body = block.components(separatedBy: ") STRICT;")[0]
      if body.contains("auditSeq") { tables.insert(name) }
    }
    #expect(tables.count == 38)
    #expect(Set(Register.auditedTables) == Set(tables))
  }
}

struct FileChecksTests {
  @Test func a_dropped_trigger_a_dangling_reference_and_a_stranger_are_named() throws {
    let t = try TestRegister()
    _ = try t.openCase()
    try sqlite3(t.path, "DROP TRIGGER cmeCase_datesOnUpdate;")
    let trigger = try t.register.verifyAudit(by: t.register.session("mgr"))
    #expect(trigger.problem?.contains("the trigger cmeCase_datesOnUpdate is missing") == true)

    let u = try TestRegister()
    _ = try u.openCase()
    try sqlite3(u.path, "PRAGMA foreign_keys = OFF; DELETE FROM child;")
    let dangling = try u.register.verifyAudit(by: u.register.session("mgr"))
    #expect(dangling.problem?.contains("refers to a child that is not there") == true, "\(dangling.problem ?? "")")

    // An entry forged by someone who knows the encoding, sealed onto the
    // chain and appended, in the name of no user.
    let w = try TestRegister()
    let head = try sqlite3(w.path, "SELECT seq || ' ' || hash FROM auditEntry ORDER BY seq DESC LIMIT 1;").output
      .split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    let entry = AuditEntry(
      sequence: Int64(head[0])! + 1, at: "2026-11-16T09:00:00.000Z", actor: "mallory", action: "user.add",
      entity: "user", entityId: "99", after: "{}", rowsDigest: RowRecordsDigest().finish())
    let sealed = AuditChain.seal(entry, after: Digest(hex: head[1])!)
    try sqlite3(
      w.path,
      """
      INSERT INTO auditEntry (seq, at, actor, action, entity, entityId, after, payloadDigest, hash, rowsDigest)
      VALUES (\(entry.sequence), '\(entry.at)', 'mallory', 'user.add', 'user', '99', '{}',
      '\(sealed.payloadDigest.hex)', '\(sealed.hash.hex)', '\(entry.rowsDigest!.hex)');
      """)
    let v = try w.register.verifyAudit(by: w.register.session("mgr"))
    #expect(v.badSequence == entry.sequence)
    #expect(v.problem?.contains("its actor 'mallory' is not a user of this register") == true)
  }
}
