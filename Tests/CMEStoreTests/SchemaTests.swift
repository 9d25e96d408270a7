import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import GRDB
import Testing

struct SchemaTests {
  /// The schema objects of a database, normalised for comparison.
  func schema(of path: String) throws -> [String] {
    let db = try DatabaseQueue(path: path)
    return try db.read { db in
      try Row.fetchAll(
        db,
        sql: "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
      )
      .map {
        "\($0["type"] as String) \($0["name"] as String) \($0["tbl_name"] as String) \(($0["sql"] as String?) ?? "")"
      }
    } + [try db.read { db in "user_version \(try Int.fetchOne(db, sql: "PRAGMA user_version") ?? -1)" }]
  }

  @Test func a_new_register_has_exactly_the_schema_of_schema_sql() throws {
    // Given schema.sql from the package root, applied to an empty database by SQLite alone
    let dir = TemporaryDirectory()
    let text = try String(contentsOfFile: packageRoot + "/schema.sql", encoding: .utf8)
    let reference = try DatabaseQueue(path: dir.file("reference.sqlite"))
    try reference.writeWithoutTransaction { try $0.execute(sql: text) }
    // When the store creates a register
    let register = try Register(path: dir.file("register.sqlite"))
    // Then both have the same tables, indexes, triggers and version
    #expect(try schema(of: register.path) == schema(of: dir.file("reference.sqlite")))
    #expect(Schema.sql == text)
  }

  @Test func the_schema_version_is_the_last_migration() {
    #expect(Schema.version == (Schema.migrations.last?.version ?? 1))
    #expect(Schema.migrations.map(\.version) == Schema.migrations.map(\.version).sorted())
  }

  @Test func every_reference_to_the_audit_log_is_indexed() throws {
    // A row is written just before the audit entry that records it, so its
    // reference is checked at commit; each new entry then makes SQLite look
    // for the rows naming it. Without an index that look-up scans the table,
    // and a write on a large register (or a large import) slows to a crawl.
    let t = try TestRegister()
    let db = try DatabaseQueue(path: t.path)
    let unindexed = try db.read { db in
      try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").filter {
        table in
        let refersToLog = try Row.fetchAll(
          db, sql: "SELECT \"table\", \"from\" FROM pragma_foreign_key_list(?)", arguments: [table]
        )
        .contains { $0["table"] == "auditEntry" && $0["from"] == "auditSeq" }
        guard refersToLog else { return false }
        let leading = try Row.fetchAll(db, sql: "SELECT name FROM pragma_index_list(?)", arguments: [table]).compactMap
        { index in
          try String.fetchOne(
            db, sql: "SELECT name FROM pragma_index_info(?) WHERE seqno = 0", arguments: [index["name"] as String])
        }
        return !leading.contains("auditSeq")
      }
    }
    #expect(unindexed == [])
  }

  @Test func a_register_uses_wal_and_foreign_keys() throws {
    let t = try TestRegister()
    let out = try sqlite3(t.path, "PRAGMA journal_mode;")
    #expect(out.output.trimmingCharacters(in: .whitespacesAndNewlines) == "wal")
    // Foreign keys are enforced by the store's connection: a case for a missing child fails.
    let db = try DatabaseQueue(path: t.path)
    #expect(throws: DatabaseError.self) {
      try db.write {
        try $0.execute(sql: "PRAGMA foreign_keys = ON")
        try $0.execute(sql: "INSERT INTO childConcern (childId, concern, auditSeq) VALUES (999, 'fgm', 1)")
      }
    }
  }

  @Test func an_existing_register_reopens_with_its_data() throws {
    let t = try TestRegister()
    let id = try t.addChild()
    let again = try Register(path: t.path)
    #expect(try again.childRecord(id: id, viewedBy: again.session("cw")).child.legalSurname == "Smith")
  }

  @Test func a_register_from_a_newer_cme_is_refused() throws {
    let t = try TestRegister()
    try sqlite3(t.path, "PRAGMA user_version = 99;")
    #expect(
      throws: StoreError.notARegister(
        path: t.path,
        detail: "its schema version 99 is newer than this cme understands (\(Schema.version)); use a newer cme")
    ) {
      try Register(path: t.path)
    }
  }

  @Test func another_database_is_not_mistaken_for_a_register() throws {
    let dir = TemporaryDirectory()
    try sqlite3(dir.file("other.sqlite"), "CREATE TABLE x(a);")
    #expect(
      throws: StoreError.notARegister(
        path: dir.file("other.sqlite"), detail: "it holds other tables and no cme schema version")
    ) {
      try Register(path: dir.file("other.sqlite"))
    }
  }

  @Test func the_schema_states_its_rules() throws {
    let t = try TestRegister()
    // Closed lists and shapes are CHECKed by SQLite too, not only by the code.
    let bad = [
      "INSERT INTO user (name, role, createdAt, auditSeq) VALUES ('x', 'superuser', 't', 1)",
      "INSERT INTO child (legalSurname, legalForename, dateOfBirth, sex, createdAt, auditSeq) VALUES ('a', 'b', '2014-3-2', 'M', 't', 1)",
      "INSERT INTO child (legalSurname, legalForename, dateOfBirth, sex, createdAt, auditSeq) VALUES ('a', 'b', '2014-03-02', 'X', 't', 1)",
      "INSERT INTO child (legalSurname, legalForename, dateOfBirth, sex, careAuthority, createdAt, auditSeq) VALUES ('a', 'b', '2014-03-02', 'M', '891', 't', 1)",
    ]
    for sql in bad {
      let r = try sqlite3(t.path, sql + ";")
      #expect(r.status != 0, "\(sql) should be refused")
      #expect(r.output.contains("constraint failed"))
    }
  }
}
