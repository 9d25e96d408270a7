import CMEAudit
import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import GRDB
import Testing

/// Every write commits with its audit entry, or neither commits.
struct TransactionTests {
  func count(_ path: String, _ table: String) throws -> Int {
    try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? -1 }
  }

  @Test func each_write_appends_one_audit_entry_in_the_same_transaction() throws {
    let t = try TestRegister()
    let before = try count(t.path, "auditEntry")
    let ref = try t.openCase()
    // child.add and case.open
    #expect(try count(t.path, "auditEntry") == before + 2)
    let log = try t.register.auditLog(caseReference: ref, childId: nil, by: t.register.session("mgr"), limit: nil)
    #expect(log.map(\.action) == ["case.open"])
    #expect(log[0].actor == "cw")
    #expect(log[0].after?.contains("\"reference\":\"\(ref)\"") == true)
  }

  @Test func a_failure_after_the_data_and_before_the_audit_entry_leaves_nothing() throws {
    // Given a register whose audit log refuses the next entry (a fault injected with a trigger)
    let t = try TestRegister()
    try sqlite3(
      t.path, "CREATE TRIGGER fault BEFORE INSERT ON auditEntry BEGIN SELECT RAISE(ABORT, 'injected fault'); END;")
    let children = try count(t.path, "child")
    let entries = try count(t.path, "auditEntry")
    // When a child is added
    #expect(throws: StoreError.database("injected fault")) { try t.addChild() }
    // Then neither the child nor an entry was written
    #expect(try count(t.path, "child") == children)
    #expect(try count(t.path, "childAddress") == 0)
    #expect(try count(t.path, "auditEntry") == entries)
  }

  @Test func a_failure_in_the_middle_of_the_data_leaves_nothing() throws {
    // Given a register where the rating row of a new case fails (after the case row was written)
    let t = try TestRegister()
    let child = try t.addChild()
    try sqlite3(
      t.path, "CREATE TRIGGER fault BEFORE INSERT ON ragRating BEGIN SELECT RAISE(ABORT, 'injected fault'); END;")
    let entries = try count(t.path, "auditEntry")
    // When a case is opened
    #expect(throws: StoreError.database("injected fault")) {
      try t.register.openCase(
        CaseOpening(childId: child, reason: .whereaboutsUnknown), by: t.register.session("cw"), today: testToday)
    }
    // Then there is no case, no status history, no entry
    #expect(try count(t.path, "cmeCase") == 0)
    #expect(try count(t.path, "caseStatusChange") == 0)
    #expect(try count(t.path, "auditEntry") == entries)
    #expect(try t.register.verifyAudit(by: t.register.session("mgr")).isIntact)
  }

  @Test func bad_input_changes_nothing() throws {
    let t = try TestRegister()
    let entries = try count(t.path, "auditEntry")
    var c = Child(legalSurname: "A", legalForename: "B", dateOfBirth: LocalDate(year: 2030, month: 1, day: 1)!)
    #expect(throws: InvalidInput.self) { try t.register.addChild(c, by: t.register.session("cw"), today: testToday) }
    c.dateOfBirth = LocalDate(year: 2015, month: 1, day: 1)!
    #expect(throws: AccessDenied.unknownUser("nobody")) {
      try t.register.addChild(c, by: t.register.session("nobody"), today: testToday)
    }
    #expect(throws: AccessDenied.notPermitted(user: "board", role: .board, permission: .writeCases)) {
      try t.register.addChild(c, by: t.register.session("board"), today: testToday)
    }
    #expect(throws: AccessDenied.notPermitted(user: "admin", role: .admin, permission: .writeCases)) {
      try t.register.addChild(c, by: t.register.session("admin"), today: testToday)
    }
    #expect(try count(t.path, "child") == 0)
    #expect(try count(t.path, "auditEntry") == entries)
  }
}

struct SessionTests {
  @Test func a_session_is_held_to_the_role_the_register_gives_its_user_now() throws {
    let t = try TestRegister()
    let cw = try t.register.session("cw")
    #expect(cw.user.role == .caseworker)
    #expect(cw.channel == .commandLine(account: "test"))
    _ = try t.register.addChild(
      Child(legalSurname: "Ward", legalForename: "Tommy", dateOfBirth: testToday.adding(days: -4000)), by: cw,
      today: testToday)
    // The user becomes a board member after the session was made: the next
    // write and the next read of cases are refused, the board's papers allowed.
    try sqlite3(t.path, "UPDATE user SET role = 'board' WHERE name = 'cw'")
    #expect(throws: AccessDenied.notPermitted(user: "cw", role: .board, permission: .writeCases)) {
      try t.register.addChild(
        Child(legalSurname: "Ward", legalForename: "Amy", dateOfBirth: testToday.adding(days: -4000)), by: cw,
        today: testToday)
    }
    #expect(throws: AccessDenied.notPermitted(user: "cw", role: .board, permission: .readRegister)) {
      try t.register.listCases(status: nil, rag: nil, by: cw)
    }
    #expect(try t.register.meetings(by: cw).isEmpty)
  }

  @Test func a_session_whose_user_is_no_longer_active_is_refused() throws {
    let t = try TestRegister()
    let cw = try t.register.session("cw")
    try sqlite3(t.path, "UPDATE user SET active = 0 WHERE name = 'cw'")
    #expect(throws: AccessDenied.unknownUser("cw")) { try t.register.listCases(status: nil, rag: nil, by: cw) }
    #expect(throws: AccessDenied.unknownUser("cw")) { try t.register.session("cw") }
  }
}

struct StoredValueTests {
  /// A value the schema forbids, written by something other than cme, is
  /// reported, never read as a default (a reason of "not known", a 1970 date).
  @Test func a_value_outside_the_schema_is_an_error_not_a_default() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    let cw = try t.register.session("cw")
    try sqlite3(t.path, "PRAGMA ignore_check_constraints = 1; UPDATE cmeCase SET reason = 'bogus';")
    #expect(throws: StoreError.unreadable(what: "case reason", value: "bogus")) {
      try t.register.caseDetail(ref, viewedBy: cw, today: testToday)
    }
    try sqlite3(
      t.path, "PRAGMA ignore_check_constraints = 1; UPDATE cmeCase SET reason = 'other', openedOn = '2026-13-45';")
    #expect(throws: StoreError.unreadable(what: "date", value: "2026-13-45")) {
      try t.register.listCases(status: nil, rag: nil, by: cw)
    }
    // A child's row read whole: the error says what is wrong, never the row.
    try sqlite3(
      t.path,
      "PRAGMA ignore_check_constraints = 1; UPDATE cmeCase SET openedOn = '2026-11-02'; UPDATE child SET sex = 'Q';")
    #expect(throws: StoreError.undecodable) { try t.register.caseDetail(ref, viewedBy: cw, today: testToday) }
    #expect(!StoreError.undecodable.description.contains("Smith"))
  }
}

struct SQLiteConditionTests {
  /// A damaged file is reported in words a user can act on, not in SQLite's.
  @Test func a_damaged_register_is_reported_in_words() throws {
    let t = try TestRegister()
    _ = try t.addChild()
    let path = t.path
    // Overwrite pages past the header: the file is still SQLite, but damaged.
    let handle = try #require(FileHandle(forUpdatingAtPath: path))
    try handle.seek(toOffset: 4096)
    try handle.write(contentsOf: Data(repeating: 0xA5, count: 8192))
    try handle.close()
    for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    do {
      let again = try Register(path: path, creating: false)
      _ = try again.listCases(status: nil, rag: nil, by: again.session("cw"))
      Issue.record("a damaged register was read")
    } catch {
      let text = "\(error)"
      #expect(text.contains("damaged") || text.contains("not a register"), "\(text)")
      #expect(!text.contains("malformed"), "\(text)")
    }
  }
}
