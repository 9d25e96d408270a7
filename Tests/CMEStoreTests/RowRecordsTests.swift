import CMEAudit
import CMEDomain
import CMETestSupport
import Foundation
import GRDB
import Testing

@testable import CMEStore

/// The log's records of rows: what they catch, and the one thing that
/// needs a checkpoint.
struct RowRecordsTests {
  @Test func the_recorded_tables_are_every_table_with_an_audit_reference_and_meta_in_name_order() throws {
    let t = try TestRegister()
    let (_, out) = try sqlite3(
      t.path,
      "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND (m.name = 'meta' OR EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'auditSeq')) ORDER BY m.name;"
    )
    let names = RowRecords.tables.map(\.name)
    #expect(Set(names) == Set(out.split(separator: "\n").map(String.init)))
    #expect(names == names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    for table in RowRecords.tables {
      let (_, keys) = try sqlite3(
        t.path, "SELECT name FROM pragma_table_info('\(table.name)') WHERE pk > 0 ORDER BY pk;")
      #expect(keys.split(separator: "\n").map(String.init) == table.keys, "\(table.name)")
    }
  }

  @Test func the_fast_reader_digests_every_row_as_the_reference_encoding_does() throws {
    let t = try TestRegister()
    let ref = try t.openCase { $0.middleNames = "Ünïcödé 🙂" }
    _ = try t.register.setRating(ref, to: .red, reason: "Left", by: t.register.session("cw"), today: testToday)
    let queue = try DatabaseQueue(path: t.path)
    defer { try? queue.close() }
    var compared = 0
    try queue.read { db in
      for table in RowRecords.tables {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table.name) ORDER BY rowid")
        let statement = try db.makeStatement(sql: "SELECT * FROM \(table.name) ORDER BY rowid")
        var reader = RowDigester(table: table.name, statement: statement)
        defer { reader.close() }
        for row in rows {
          #expect(try reader.step())
          #expect(reader.digest() == RowRecords.digest(of: row, table: table.name), "\(table.name)")
          compared += 1
        }
        #expect(try !reader.step())
      }
    }
    #expect(compared > 10)
  }

  @Test func a_change_with_no_entry_to_record_it_is_refused_and_leaves_nothing() throws {
    let t = try TestRegister()
    let before = try sqlite3(t.path, "SELECT count(*) FROM setting;").output
    #expect(throws: StoreError.self) {
      try t.register.write(as: t.register.session("mgr"), needs: nil) { db, _ in
        try db.execute(sql: "INSERT INTO setting (key, value, auditSeq) VALUES ('rag.redAfterDays', '9', 1)")
      }
    }
    #expect(try sqlite3(t.path, "SELECT count(*) FROM setting;").output == before)
    // And one that names an older entry in its auditSeq.
    let error = #expect(throws: StoreError.self) {
      try t.register.write(as: t.register.session("mgr"), needs: nil) { db, audit in
        try db.execute(sql: "INSERT INTO setting (key, value, auditSeq) VALUES ('rag.redAfterDays', '9', 1)")
        try audit.append(action: .settingSet, entity: "setting", entityId: "rag.redAfterDays")
      }
    }
    #expect(error?.description.contains("setting row") == true)
    #expect(try t.register.verifyAudit(by: t.register.session("mgr")).isIntact)
  }

  @Test func a_row_put_back_as_it_was_before_its_last_change_is_named() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    let old = t.directory.file("before.sqlite")
    _ = try t.register.backup(to: old, by: t.register.session("mgr")) {}
    _ = try t.register.setRating(ref, to: .red, reason: "Left suddenly", by: t.register.session("cw"), today: testToday)
    let rated = try #require(
      Int64(try sqlite3(t.path, "SELECT auditSeq FROM cmeCase;").output.trimmingCharacters(in: .newlines)))
    // The case row copied back from the older file: a state the log once recorded.
    try sqlite3(
      t.path,
      "PRAGMA foreign_keys = OFF; ATTACH '\(old)' AS old; DELETE FROM cmeCase; INSERT INTO cmeCase SELECT * FROM old.cmeCase;"
    )
    let v = try t.register.verifyAudit(by: t.register.session("mgr"))
    #expect(v.problem == "cmeCase row 1: differs from what entry \(rated) recorded; it was changed outside cme")
  }

  /// Someone who edits a row, its record, and reseals every entry from there
  /// leaves a log that verifies on its own; a checkpoint taken before names it.
  @Test func a_consistent_rewrite_of_rows_records_and_chain_needs_a_checkpoint() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    _ = try t.register.setRating(ref, to: .red, reason: "Left suddenly", by: t.register.session("cw"), today: testToday)
    let point = try t.register.signedCheckpoint(by: t.register.session("mgr"))
    let queue = try DatabaseQueue(path: t.path)
    try queue.write { db in
      let guards = try String.fetchAll(
        db, sql: "SELECT sql FROM sqlite_master WHERE name IN ('auditEntry_noUpdate', 'auditRow_noUpdate')")
      defer { for sql in guards { try? db.execute(sql: sql) } }
      try db.execute(
        sql:
          "DROP TRIGGER auditEntry_noUpdate; DROP TRIGGER auditRow_noUpdate; UPDATE cmeCase SET rag = 'green' WHERE id = 1"
      )
      let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM cmeCase WHERE id = 1"))
      let latest = try #require(
        try Int64.fetchOne(db, sql: "SELECT max(seq) FROM auditRow WHERE tbl = 'cmeCase' AND k1 = 1"))
      try db.execute(
        sql: "UPDATE auditRow SET digest = ? WHERE seq = ? AND tbl = 'cmeCase' AND k1 = 1",
        arguments: [Data(RowRecords.digest(of: row, table: "cmeCase").bytes), latest])
      var previous = Digest(
        hex: try String.fetchOne(db, sql: "SELECT hash FROM auditEntry WHERE seq = ?", arguments: [latest - 1])!)!
      for r in try Row.fetchAll(db, sql: "SELECT * FROM auditEntry WHERE seq >= ? ORDER BY seq", arguments: [latest]) {
        let seq: Int64 = r["seq"]
        let rows = try RowRecords.recordsDigest(of: seq, in: db)
        let entry = AuditEntry(
          sequence: seq, at: r["at"], actor: r["actor"], action: r["action"], entity: r["entity"],
          entityId: r["entityId"], childId: r["childId"], caseId: r["caseId"], reason: r["reason"],
          before: r["before"], after: r["after"], channel: r["channel"], rowsDigest: rows)
        let sealed = AuditChain.seal(entry, after: previous)
        try db.execute(
          sql: "UPDATE auditEntry SET rowsDigest = ?, hash = ? WHERE seq = ?",
          arguments: [rows.hex, sealed.hash.hex, seq])
        previous = sealed.hash
      }
    }
    try queue.close()
    // Without a checkpoint the rewrite is not seen (docs/audit-log.md says so)…
    #expect(try t.register.verifyAudit(by: t.register.session("mgr")).isIntact)
    // …with one, it is.
    let v = try t.register.verifyAudit(by: t.register.session("mgr"), checkpoints: [point])
    #expect(v.badSequence == point.sequence)
    #expect(v.problem?.contains("entry \(point.sequence)") == true)
  }
}

/// Writes that only log a look (a case viewed, a search, an export) do not
/// make the triggers that note changed rows; the register holds them to
/// changing nothing but the log.
struct EntriesOnlyTests {
  @Test func a_logged_look_records_no_row_and_verifies_as_any_other_entry() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    let mgr = try t.register.session("mgr")
    _ = try t.register.caseDetail(ref, viewedBy: mgr, today: testToday)
    _ = try t.register.findChildren("Smith", by: mgr)
    let entries = try sqlite3(
      t.path, "SELECT action, rowsDigest FROM auditEntry WHERE action IN ('case.view', 'child.search') ORDER BY seq;"
    ).output
    #expect(entries == "case.view|\(RowRecords.noRecords.hex)\nchild.search|\(RowRecords.noRecords.hex)\n")
    #expect(
      try sqlite3(
        t.path, "SELECT count(*) FROM auditRow WHERE seq IN (SELECT seq FROM auditEntry WHERE action = 'case.view');"
      ).output == "0\n")
    // A change after it is noted and recorded as ever.
    _ = try t.register.logVisit(
      ref, type: .phoneCall, date: testToday, time: nil, childSeen: false, outcome: "No answer", nextStep: nil,
      agency: nil, by: t.register.session("cw"), today: testToday)
    let report = try t.register.verifyAudit(by: mgr)
    #expect(report.isIntact, "\(report.problems)")
  }

  @Test func a_look_that_changes_a_row_is_refused_and_leaves_nothing() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    let mgr = try t.register.session("mgr")
    let before = try sqlite3(t.path, "SELECT count(*), max(seq) FROM auditEntry; SELECT rag FROM cmeCase;").output
    #expect(throws: StoreError.unrecorded("a write that records no row changed rows")) {
      try t.register.write(as: mgr, needs: .readRegister, entriesOnly: true) { db, audit in
        try db.execute(sql: "UPDATE cmeCase SET rag = 'red'")
        try audit.append(action: .caseView, entity: "case", entityId: ref.description)
      }
    }
    #expect(try sqlite3(t.path, "SELECT count(*), max(seq) FROM auditEntry; SELECT rag FROM cmeCase;").output == before)
    // A change made by a trigger counts too.
    try sqlite3(
      t.path,
      "CREATE TRIGGER sneak AFTER INSERT ON auditEntry BEGIN UPDATE setting SET value = value WHERE key = 'x'; INSERT INTO meta (key, value) VALUES ('sneak', 'x'); END;"
    )
    #expect(throws: StoreError.unrecorded("a write that records no row changed rows")) {
      try t.register.caseDetail(ref, viewedBy: mgr, today: testToday)
    }
    #expect(try sqlite3(t.path, "SELECT count(*) FROM meta WHERE key = 'sneak';").output == "0\n")
  }
}
