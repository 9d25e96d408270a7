import CMEAudit
import CMEDomain
import CMETestSupport
import Foundation
import GRDB
import Testing

@testable import CMEStore

/// An existing register must always open and upgrade without loss.
struct MigrationTests {
  @Test func an_older_register_is_upgraded_in_place_without_loss() throws {
    // Given a register made by today's schema, with a child, a case and its audit trail
    let t = try TestRegister()
    let ref = try t.openCase { $0.upn = try? UPN.validate("B801200005001").get() }
    let before = try t.register.verifyAudit(by: t.register.session("mgr"))

    // When a later cme, whose schema adds a column and a table, opens it
    let v2: [(version: Int, sql: String)] = [
      (
        Schema.version + 1,
        "ALTER TABLE child ADD COLUMN nationality TEXT; CREATE TABLE futureThing (id INTEGER PRIMARY KEY, caseId INTEGER NOT NULL REFERENCES cmeCase(id)) STRICT;"
      )
    ]
    let queue = try DatabaseQueue(path: t.path)
    try Register.migrate(queue, path: t.path, schema: "", version: Schema.version + 1, migrations: v2)

    // Then the file is at the new version, has the new schema, and keeps every record and entry
    let (version, columns, hasVisit, upn) = try queue.read { db in
      (
        try Int.fetchOne(db, sql: "PRAGMA user_version"), try db.columns(in: "child").map(\.name),
        try db.tableExists("futureThing"), try String.fetchOne(db, sql: "SELECT upn FROM child")
      )
    }
    #expect(version == Schema.version + 1)
    #expect(columns.contains("nationality"))
    #expect(hasVisit)
    #expect(upn == "B801200005001")
    try queue.close()
    let after = try t.register.verifyAudit(by: t.register.session("mgr"))
    #expect(after.isIntact && after.headHash == before.headHash)
    #expect(
      try t.register.caseDetail(ref, viewedBy: t.register.session("cw"), today: testToday).caseRecord.reference
        == ref.description)
  }

  @Test func the_case_table_rebuilt_by_version_12_keeps_every_case_and_its_records() throws {
    // Given a register with cases, a visit and a closed case (all recorded by the log)
    let t = try TestRegister()
    let open = try t.openCase()
    let other = try t.openCase()
    let cw = try t.register.session("cw")
    _ = try t.register.logVisit(
      open, type: .phoneCall, date: testToday, time: nil, childSeen: false, outcome: "No answer", nextStep: nil,
      agency: nil, by: cw, today: testToday)
    _ = try t.register.closeCase(
      other, outcome: .duplicateOrError, evidence: ClosureEvidence(text: "Entered twice"), on: nil, by: cw,
      today: testToday)
    let rows = "SELECT * FROM cmeCase ORDER BY id"
    let before = try DatabaseQueue(path: t.path).read { db in try Row.fetchAll(db, sql: rows).map(\.description) }

    // When a register at version 11 takes migration 12 (the table dropped and made again)
    let queue = try DatabaseQueue(path: t.path)
    try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = 11") }
    try Register.migrate(queue, path: t.path, migrations: Schema.migrations.filter { $0.version == 12 })

    // Then every case is as it was, its visit still points at it, and the log proves every row
    let (after, version, broken) = try queue.read { db in
      (
        try Row.fetchAll(db, sql: rows).map(\.description), try Int.fetchOne(db, sql: "PRAGMA user_version"),
        try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count
      )
    }
    try queue.close()
    #expect(after == before)
    #expect(version == 12)
    #expect(broken == 0)
    // (Dropping the table dropped the triggers later versions made on it: made again here, as those versions do.)
    let v26 = Schema.migrations.first { $0.version == 26 }!.sql
    let caseTriggers = try NSRegularExpression(
      pattern: "CREATE TRIGGER cmeCase_.*?\\nEND;", options: .dotMatchesLineSeparators
    )
    .matches(in: v26, range: NSRange(v26.startIndex..., in: v26)).map { String(v26[Range($0.range, in: v26)!]) }
    #expect(caseTriggers.count == 3)
    try DatabaseQueue(path: t.path).writeWithoutTransaction {
      for trigger in caseTriggers { try $0.execute(sql: trigger) }
      try $0.execute(sql: "PRAGMA user_version = \(Schema.version)")
    }
    let report = try t.register.verifyAudit(by: t.register.session("mgr"))
    #expect(report.isIntact, "\(report.problems)")
    #expect(report.rowsRecorded)
  }

  @Test func a_failing_migration_leaves_the_file_at_its_old_version() throws {
    let t = try TestRegister()
    _ = try t.addChild()
    let broken: [(version: Int, sql: String)] = [
      (Schema.version + 1, "ALTER TABLE child ADD COLUMN nationality TEXT; ALTER TABLE nosuchtable ADD COLUMN x TEXT;")
    ]
    let queue = try DatabaseQueue(path: t.path)
    #expect(throws: DatabaseError.self) {
      try Register.migrate(queue, path: t.path, schema: "", version: Schema.version + 1, migrations: broken)
    }
    let (version, columns, children) = try queue.read { db in
      (
        try Int.fetchOne(db, sql: "PRAGMA user_version"), try db.columns(in: "child").map(\.name),
        try Int.fetchOne(db, sql: "SELECT count(*) FROM child")
      )
    }
    #expect(version == Schema.version)
    #expect(!columns.contains("nationality"))
    #expect(children == 1)
  }
}

struct SchemaHistoryTests {
  /// Removes what schema 26 added: the register-check cycles' tally, its
  /// recount and its triggers.
  static let dropTally =
    (Register.tallyTriggers.map { "DROP TRIGGER \($0);" } + [
      "DROP VIEW registerCycleRecount;", "DROP TABLE registerCycleTally;",
    ]).joined(separator: " ")

  /// Removes what schema 27 added: each case's kept casework, its recount
  /// and its triggers.
  static let dropCaseWork =
    (Register.caseWorkTriggers.map { "DROP TRIGGER \($0);" } + [
      "DROP VIEW caseWorkRecount;", "DROP TABLE caseWork;",
    ]).joined(separator: " ")

  func objects(_ path: String) throws -> [String] {
    try DatabaseQueue(path: path).read { db in
      try Row.fetchAll(
        db, sql: "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
      )
      .map { "\($0["type"] as String) \($0["name"] as String) \(($0["sql"] as String?) ?? "")" }
        + ["user_version \(try Int.fetchOne(db, sql: "PRAGMA user_version") ?? -1)"]
    }
  }

  @Test func a_register_at_schema_20_gets_accents_folded_in_its_name_index_and_keeps_every_record() throws {
    // Given a register as schema 20 left it: children with accented names and
    // a postcode, the name index filled and kept by version 8's triggers,
    // without the views, the postcode index or the case list's indexes.
    let t = try TestRegister()
    let lukasz = try t.addChild(surname: "Nowak", forename: "Łukasz")
    let obrien = try t.addChild(surname: "O'Brien", forename: "Siobhán") {
      $0.addresses = [Address(text: "1 High Street, Nottingham", postcode: "NG5 1AB")]
    }
    let mgr = try t.register.session("mgr")
    #expect(try t.register.verifyAudit(by: mgr).isIntact)
    let records = "SELECT * FROM child ORDER BY id; SELECT * FROM childAddress ORDER BY id;"
    let rowsBefore = try sqlite3(t.path, records).output
    let v8 = Schema.migrations.first { $0.version == 8 }!.sql
    let triggers = try NSRegularExpression(pattern: "CREATE TRIGGER .*?\\nEND;", options: .dotMatchesLineSeparators)
      .matches(in: v8, range: NSRange(v8.startIndex..., in: v8)).map { String(v8[Range($0.range, in: v8)!]) }
    let fill = v8.components(separatedBy: ";\n").first { $0.hasPrefix("INSERT INTO childNameIndex") }!
    #expect(triggers.count == 6)
    let queue = try DatabaseQueue(path: t.path)
    try queue.writeWithoutTransaction { db in
      try db.execute(
        sql: """
          DROP INDEX cmeCase_opened; DROP INDEX cmeCase_statusOpened; DROP INDEX childAddress_postcode;
          DROP INDEX cmeCase_leadWorstOpen; DROP INDEX caseAction_live; DROP INDEX caseAction_liveDue;
          CREATE INDEX caseAction_live ON caseAction(state, dueOn);
          DROP TRIGGER child_nameIndexInsert; DROP TRIGGER child_nameIndexUpdate; DROP TRIGGER child_nameIndexDelete;
          DROP TRIGGER childFormerName_nameIndexInsert; DROP TRIGGER childFormerName_nameIndexDelete;
          DROP TRIGGER childFormerName_nameIndexUpdate;
          DROP VIEW childNameText; DROP VIEW childNameFolded7; DROP VIEW childNameFolded6; DROP VIEW childNameFolded5;
          DROP VIEW childNameFolded4; DROP VIEW childNameFolded3; DROP VIEW childNameFolded2; DROP VIEW childNameFolded1;
          DROP VIEW childNameRaw;
          \(SchemaHistoryTests.dropCaseWork) \(SchemaHistoryTests.dropTally)
          """)
      for trigger in triggers { try db.execute(sql: trigger) }
      try db.execute(sql: "DELETE FROM childNameIndex; \(fill); PRAGMA user_version = 20;")
    }
    try queue.close()
    #expect(try sqlite3(t.path, "SELECT count(*) FROM childNameIndex WHERE names LIKE '%lukasz%';").output == "0\n")

    // When this cme opens it
    let register = try Register(path: t.path, creating: false)

    // Then it has exactly the schema of a new register, every record as it
    // was, its log intact, and the names are found typed without accents
    let fresh = try Register(path: t.directory.file("fresh.sqlite"))
    #expect(try objects(t.path) == objects(fresh.path))
    #expect(try sqlite3(t.path, records).output == rowsBefore)
    let cw = try register.session("cw")
    #expect(try register.verifyAudit(by: register.session("mgr")).isIntact)
    #expect(try register.findChildren("Lukasz", by: cw).children.map(\.id) == [lukasz])
    #expect(try register.findChildren("obrien siobhan", by: cw).children.map(\.id) == [obrien])
    #expect(try register.findChildren("ng5 1ab", by: cw).children.map(\.id) == [obrien])
  }

  @Test func a_register_at_schema_25_counts_its_cycles_progress_from_its_checks() throws {
    // Given a register as schema 25 left it: a closed cycle with a case
    // exempted, and an open one in which a case was checked twice
    let t = try TestRegister()
    let mgr = try t.register.session("mgr")
    let a = try t.openCase()
    let b = try t.openCase()
    let c = try t.openCase()
    _ = try t.register.startCycle(by: mgr, today: testToday)
    for ref in [a, b] {
      _ = try t.register.recordCheck(
        ref, outcome: .explained, note: "Seen at home", rag: nil, explanation: nil, by: mgr, today: testToday)
    }
    let closed = try t.register.closeCycle(
      unchecked: [c.description: "Family abroad until January"], note: nil, by: mgr, today: testToday)
    _ = try t.register.startCycle(by: mgr, today: testToday)
    _ = try t.register.recordCheck(
      a, outcome: .actionRequired, note: "No contact", rag: nil, explanation: nil, by: mgr, today: testToday)
    _ = try t.register.recordCheck(
      a, outcome: .escalated, note: "Referred to police", rag: nil, explanation: nil, by: mgr, today: testToday)
    let open = try #require(try t.register.cycleStatus(by: mgr))
    let queue = try DatabaseQueue(path: t.path)
    try queue.writeWithoutTransaction { db in
      try db.execute(sql: "\(Self.dropCaseWork) \(Self.dropTally) PRAGMA user_version = 25;")
    }
    try queue.close()

    // When this cme opens it
    let register = try Register(path: t.path, creating: false)

    // Then each cycle's progress is as it was counted, and verify agrees
    let fresh = try Register(path: t.directory.file("fresh.sqlite"))
    #expect(try objects(t.path) == objects(fresh.path))
    let now = try #require(try register.cycleStatus(by: register.session("mgr")))
    #expect(now.checked == 1 && now.total == 3 && now.byOutcome == ["escalated": 1] && now.withoutExplanation == 1)
    #expect(now.checked == open.checked && now.total == open.total && now.byOutcome == open.byOutcome)
    #expect(closed.checked == 2 && closed.exempted == 1)
    #expect(
      try sqlite3(t.path, "SELECT cycleId, checked, toCheck, explained FROM registerCycleTally ORDER BY cycleId;")
        .output == "1|2|1|2\n2|1|2|0\n")
    let verified = try register.verifyAudit(by: register.session("mgr"))
    #expect(verified.isIntact, "\(verified.problems)")
  }

  @Test func a_backup_made_before_schema_26_checks_out_before_it_is_restored() throws {
    // Given a backup as schema 25 left it (checked read-only, as it is, before a restore)
    let t = try TestRegister()
    let mgr = try t.register.session("mgr")
    _ = try t.openCase()
    _ = try t.register.startCycle(by: mgr, today: testToday)
    let copy = t.directory.file("old-backup.sqlite")
    try sqlite3(t.path, "VACUUM INTO '\(copy)';")
    try DatabaseQueue(path: copy).writeWithoutTransaction { db in
      try db.execute(sql: "\(Self.dropCaseWork) \(Self.dropTally) PRAGMA user_version = 25;")
    }
    // Then it is intact: it has no tally yet, and nothing is said of one
    let check = try Register.checkCopy(at: copy)
    #expect(check.intact, "\(check.problem ?? "")")
    // And once opened by this cme it has one, counted from its checks
    let opened = try Register(path: copy, creating: false)
    #expect(try opened.cycleStatus(by: opened.session("mgr"))?.total == 1)
    #expect(try Register.checkCopy(at: copy).intact)
  }

  @Test func a_register_at_schema_26_keeps_each_cases_casework_counted_from_its_rows() throws {
    // Given a register with casework, as schema 26 left it
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 80, seed: 9, in: dir)
    let before = try register.read { db in try CaseWorkTests.counted(in: db) }
    let backup = dir.file("old-backup.sqlite")
    try DatabaseQueue(path: register.path).writeWithoutTransaction { db in
      try db.execute(sql: "\(Self.dropCaseWork) PRAGMA user_version = 26;")
      try db.execute(sql: "VACUUM INTO ?", arguments: [backup])
    }
    // Then a backup made then checks out before it is restored
    let check = try Register.checkCopy(at: backup)
    #expect(check.intact, "\(check.problem ?? "")")
    // And when this cme opens it, it has exactly a new register's schema, each
    // case's casework kept as its rows say, and its log intact
    let opened = try Register(path: register.path, creating: false)
    let fresh = try Register(path: dir.file("fresh.sqlite"))
    #expect(try objects(opened.path) == objects(fresh.path))
    #expect(before.count > 50)
    #expect(try opened.read { db in try CaseWorkTests.kept(in: db) } == before)
    #expect(try opened.verifyAudit(by: opened.session("me")).isIntact)
  }

  @Test func a_register_made_by_schema_version_1_upgrades_to_exactly_schema_sql() throws {
    // Given a file made by the first released schema, with a record in it
    let dir = TemporaryDirectory()
    let old = dir.file("v1.sqlite")
    let v1 = try String(contentsOfFile: packageRoot + "/Tests/CMEStoreTests/Fixtures/schema-v1.sql", encoding: .utf8)
    try DatabaseQueue(path: old).writeWithoutTransaction { try $0.execute(sql: v1) }
    // When today's store opens it
    _ = try Register(path: old)
    // Then it has exactly the schema of a new register
    let fresh = try Register(path: dir.file("new.sqlite"))
    #expect(try objects(old) == objects(fresh.path))
    #expect(Schema.migrations.map(\.version) == Array(2...Schema.version))
  }
}

/// A register made before the log recorded rows.
struct RowRecordsUpgradeTests {
  @Test func an_older_register_has_its_rows_recorded_by_its_first_change_and_checked_from_then() throws {
    let dir = TemporaryDirectory()
    let path = dir.file("old.sqlite")
    // A register at schema version 8, with an admin whose creation is the log's one entry.
    let v8 =
      String(Schema.sql[..<Schema.sql.range(of: "-- @migration 9")!.lowerBound]) + "PRAGMA user_version = 8;\n"
    let queue = try DatabaseQueue(path: path)
    try Register.migrate(queue, path: path, schema: v8, version: 8, migrations: [])
    try queue.write { db in
      try db.execute(
        sql: "INSERT INTO meta (key, value) VALUES ('kind', 'register'), ('createdAt', 'x'), ('authority', 'Old LA')")
      try db.execute(
        sql:
          "INSERT INTO user (name, role, createdAt, auditSeq) VALUES ('admin', 'admin', '2026-01-01T09:00:00.000Z', 1)")
      let entry = AuditEntry(
        sequence: 1, at: "2026-01-01T09:00:00.000Z", actor: "admin", action: "register.init", entity: "user",
        entityId: "1", after: "{}", channel: "command line (root)")
      let sealed = AuditChain.seal(entry, after: .zero)
      try db.execute(
        sql: """
          INSERT INTO auditEntry (seq, at, actor, action, entity, entityId, after, payloadDigest, hash, channel)
          VALUES (1, ?, 'admin', 'register.init', 'user', '1', '{}', ?, ?, ?)
          """, arguments: [entry.at, sealed.payloadDigest.hex, sealed.hash.hex, entry.channel])
    }
    try queue.close()

    // Opened by this cme: upgraded, intact, rows not yet checked.
    let register = try Register(path: path, creating: false)
    let admin = try register.session(for: "admin", channel: .commandLine(account: "root"))
    let opened = try register.verifyAudit(by: admin)
    #expect(opened.isIntact)
    #expect(!opened.rowsRecorded)

    // Its first change records every row as found, in an entry of its own, before its own entry.
    _ = try register.addUser(name: "mgr", role: .manager, by: admin)
    let log = try register.auditLog(caseReference: nil, childId: nil, by: admin, limit: nil).map(\.action)
    #expect(Array(log.prefix(3)) == ["register.init", "audit.rowsRecorded", "user.add"])
    let after = try register.verifyAudit(by: admin)
    #expect(after.isIntact && after.rowsRecorded)
    #expect(after.rowsChecked == 6)  // the two users and four meta rows (with the identity)

    // From then on, a row changed outside cme is named, even one written before.
    try sqlite3(path, "UPDATE meta SET value = 'Another LA' WHERE key = 'authority';")
    let tampered = try register.verifyAudit(by: admin)
    #expect(tampered.problem?.contains("meta row \"authority\": differs from what entry 2 recorded") == true)
  }
}
