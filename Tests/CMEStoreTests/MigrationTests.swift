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
    let before = try t.register.verifyAudit(by: "mgr")

    // When a later cme, whose schema adds a column and a table, opens it
    let v2: [(version: Int, sql: String)] = [
      (Schema.version + 1, "ALTER TABLE child ADD COLUMN nationality TEXT; CREATE TABLE visit (id INTEGER PRIMARY KEY, caseId INTEGER NOT NULL REFERENCES cmeCase(id)) STRICT;")
    ]
    let queue = try DatabaseQueue(path: t.path)
    try Register.migrate(queue, path: t.path, schema: "", version: Schema.version + 1, migrations: v2)

    // Then the file is at the new version, has the new schema, and keeps every record and entry
    let (version, columns, hasVisit, upn) = try queue.read { db in
      (
        try Int.fetchOne(db, sql: "PRAGMA user_version"), try db.columns(in: "child").map(\.name),
        try db.tableExists("visit"), try String.fetchOne(db, sql: "SELECT upn FROM child")
      )
    }
    #expect(version == Schema.version + 1)
    #expect(columns.contains("nationality"))
    #expect(hasVisit)
    #expect(upn == "B801200005001")
    try queue.close()
    let after = try t.register.verifyAudit(by: "mgr")
    #expect(after.isIntact && after.headHash == before.headHash)
    #expect(try t.register.caseDetail(ref, viewedBy: "cw").caseRecord.reference == ref.description)
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
