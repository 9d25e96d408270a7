import CMEAudit
import Foundation
import GRDB
import GRDBSQLite

/// A table whose rows the log records, with its primary key.
struct RecordedTable: Sendable {
  let name: String
  /// One column, or two for a table keyed by a pair.
  let keys: [String]

  /// Every table but `meta` names, in `auditSeq`, the entry that last changed a row.
  var hasAuditSeq: Bool { name != "meta" }

  /// The key's columns in the order `auditRow` keeps (`k1`, `k2`).
  var keyColumns: String { keys.joined(separator: ", ") }
  /// `k1 = ? AND k2 = ?` for this table's own key columns.
  var keyCondition: String { keys.map { "\($0) = ?" }.joined(separator: " AND ") }
}

/// The records the log keeps of the rows each entry changed, and how
/// `verify` checks the rows against them. See `docs/audit-log.md`, "Row records".
///
/// While a write transaction runs, temporary triggers (made on the writing
/// connection only, so they are not part of the file) note the key of each
/// row inserted, updated or deleted in a recorded table. When the
/// transaction appends an entry, the rows noted so far are read as they now
/// are and recorded for that entry (their digest, or their deletion); the
/// digest of those records is part of the entry's hash.
enum RowRecords {
  /// The tables recorded: every table with `auditSeq`, and `meta`; in the
  /// byte order of their names, the order `auditRow` keeps (a test checks the
  /// list against `schema.sql`).
  static let tables: [RecordedTable] = [
    RecordedTable(name: "boardAgendaItem", keys: ["meetingId", "caseId"]),
    RecordedTable(name: "boardDecision", keys: ["id"]),
    RecordedTable(name: "boardMeeting", keys: ["id"]),
    RecordedTable(name: "boardPack", keys: ["id"]),
    RecordedTable(name: "calendarPeriod", keys: ["id"]),
    RecordedTable(name: "carer", keys: ["id"]),
    RecordedTable(name: "caseAction", keys: ["id"]),
    RecordedTable(name: "caseActionEvent", keys: ["id"]),
    RecordedTable(name: "caseLetter", keys: ["id"]),
    RecordedTable(name: "caseMilestone", keys: ["caseId", "kind"]),
    RecordedTable(name: "caseStatusChange", keys: ["id"]),
    RecordedTable(name: "child", keys: ["id"]),
    RecordedTable(name: "childAddress", keys: ["id"]),
    RecordedTable(name: "childConcern", keys: ["childId", "concern"]),
    RecordedTable(name: "childFSMPeriod", keys: ["id"]),
    RecordedTable(name: "childFormerName", keys: ["id"]),
    RecordedTable(name: "childFormerUpn", keys: ["childId", "upn"]),
    RecordedTable(name: "childMerge", keys: ["mergedId"]),
    RecordedTable(name: "closureEvidence", keys: ["statusChangeId"]),
    RecordedTable(name: "closureProposal", keys: ["id"]),
    RecordedTable(name: "cmeCase", keys: ["id"]),
    RecordedTable(name: "disposal", keys: ["id"]),
    RecordedTable(name: "enquiry", keys: ["caseId", "item"]),
    RecordedTable(name: "illnessSpell", keys: ["id"]),
    RecordedTable(name: "importFile", keys: ["id"]),
    RecordedTable(name: "importRow", keys: ["rowDigest"]),
    RecordedTable(name: "laNotification", keys: ["id"]),
    RecordedTable(name: "letterTemplate", keys: ["kind"]),
    RecordedTable(name: "meta", keys: ["key"]),
    RecordedTable(name: "populationBaseline", keys: ["characteristic", "code"]),
    RecordedTable(name: "professional", keys: ["id"]),
    RecordedTable(name: "ragRating", keys: ["id"]),
    RecordedTable(name: "registerCheck", keys: ["id"]),
    RecordedTable(name: "registerCycle", keys: ["id"]),
    RecordedTable(name: "registerCycleExemption", keys: ["cycleId", "caseId"]),
    RecordedTable(name: "retentionHold", keys: ["id"]),
    RecordedTable(name: "setting", keys: ["key"]),
    RecordedTable(name: "user", keys: ["id"]),
    RecordedTable(name: "visit", keys: ["id"]),
  ]

  static let byName: [String: RecordedTable] = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) })

  /// The temporary table the triggers note changed keys in.
  static let changes = "cmeRowChange"

  /// Makes the temporary triggers on this connection, once.
  static func installCapture(in db: Database) throws {
    let made = try Set(String.fetchAll(db, sql: "SELECT name FROM temp.sqlite_master"))
    if made.contains("\(changes)_visit_d") { return }
    var sql = made.contains(changes) ? "" : "CREATE TEMP TABLE \(changes) (tbl TEXT NOT NULL, k1 ANY, k2 ANY);\n"
    for t in tables {
      func values(_ row: String) -> String {
        "('\(t.name)', \(row).\(t.keys[0]), \(t.keys.count > 1 ? "\(row).\(t.keys[1])" : "''"))"
      }
      sql += """
        CREATE TEMP TRIGGER \(changes)_\(t.name)_i AFTER INSERT ON main.\(t.name)
        BEGIN INSERT INTO \(changes) VALUES \(values("NEW")); END;
        CREATE TEMP TRIGGER \(changes)_\(t.name)_u AFTER UPDATE ON main.\(t.name)
        BEGIN INSERT INTO \(changes) VALUES \(values("OLD")), \(values("NEW")); END;
        CREATE TEMP TRIGGER \(changes)_\(t.name)_d AFTER DELETE ON main.\(t.name)
        BEGIN INSERT INTO \(changes) VALUES \(values("OLD")); END;

        """
    }
    try db.execute(sql: sql)
  }

  /// Rows changed since the last entry and not yet recorded, as
  /// `table key`; empty when every change has its entry.
  static func unrecorded(in db: Database) throws -> [String] {
    try Row.fetchAll(db, sql: "SELECT DISTINCT tbl, k1 FROM temp.\(changes) LIMIT 3").map {
      "\($0["tbl"] as String) \($0["k1"] as DatabaseValue)"
    }
  }

  /// Records, for entry `seq`, the rows changed since the last entry, and
  /// returns the digest of all of the entry's records.
  ///
  /// Each table's reader and the records' insert are made once for the
  /// call, not once for each row: an entry can record 90,000 rows (a
  /// meeting's agenda).
  static func record(entry seq: Int64, in db: Database) throws -> Digest {
    var changed: [(table: String, k1: DatabaseValue, k2: DatabaseValue)] = []
    try RawRow.each(db.cachedStatement(sql: "SELECT DISTINCT tbl, k1, k2 FROM temp.\(changes)")) { r in
      changed.append((r.string(0) ?? "", RowDigester.value(r.statement, 1), RowDigester.value(r.statement, 2)))
    }
    if !changed.isEmpty { try db.cachedStatement(sql: "DELETE FROM temp.\(changes)").execute() }
    var readers: [String: (reader: RowDigester, statement: Statement, auditSeq: Int32?)] = [:]
    defer { for r in readers.values { r.reader.close() } }
    let insert = try RecordInsert(db)
    for (name, k1, k2) in changed {
      guard let table = byName[name] else { continue }
      if readers[name] == nil {
        let statement = try db.cachedStatement(sql: "SELECT * FROM \(name) WHERE \(table.keyCondition)")
        let auditSeq = table.hasAuditSeq ? statement.columnNames.firstIndex(of: "auditSeq").map(Int32.init) : nil
        readers[name] = (RowDigester(table: name, statement: statement), statement, auditSeq)
      }
      var digest: Digest?
      try readers[name]!.reader.reset(table.keys.count > 1 ? [k1, k2] : [k1])
      if try readers[name]!.reader.step() {
        if let i = readers[name]!.auditSeq, readers[name]!.reader.value(i) != seq.databaseValue {
          throw StoreError.unrecorded("\(name) row \(k1) was changed without naming entry \(seq) in its auditSeq")
        }
        digest = readers[name]!.reader.digest()
      }
      readers[name]!.reader.close()
      try insert.run(seq: seq, table: name, k1: k1, k2: k2, digest: digest)
    }
    return try recordsDigest(of: seq, in: db)
  }

  /// The insert of one record into `auditRow`, its values bound in place
  /// (an entry's records, or a bulk load's, are inserted with one statement).
  private struct RecordInsert {
    let statement: Statement

    init(_ db: Database) throws {
      statement = try db.cachedStatement(
        sql: "INSERT INTO auditRow (seq, tbl, k1, k2, op, digest) VALUES (?, ?, ?, ?, ?, ?)")
    }

    func run(seq: Int64, table: String, k1: DatabaseValue, k2: DatabaseValue, digest: Digest?) throws {
      let s = statement.sqliteStatement
      sqlite3_reset(s)
      sqlite3_clear_bindings(s)
      sqlite3_bind_int64(s, 1, seq)
      let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
      sqlite3_bind_text(s, 2, table, -1, transient)
      Self.bind(k1, at: 3, in: s, transient)
      Self.bind(k2, at: 4, in: s, transient)
      sqlite3_bind_text(s, 5, digest == nil ? "d" : "w", -1, transient)
      if let digest {
        digest.bytes.withUnsafeBytes { _ = sqlite3_bind_blob(s, 6, $0.baseAddress, Int32($0.count), transient) }
      }
      let code = sqlite3_step(s)
      sqlite3_reset(s)
      guard code == SQLITE_DONE else {
        throw StoreError.database(String(cString: sqlite3_errmsg(sqlite3_db_handle(s))))
      }
    }

    private static func bind(
      _ v: DatabaseValue, at i: Int32, in s: OpaquePointer, _ transient: sqlite3_destructor_type
    ) {
      switch v.storage {
      case .null: sqlite3_bind_null(s, i)
      case .int64(let n): sqlite3_bind_int64(s, i, n)
      case .double(let x): sqlite3_bind_double(s, i, x)
      case .string(let t): sqlite3_bind_text(s, i, t, -1, transient)
      case .blob(let d): d.withUnsafeBytes { _ = sqlite3_bind_blob(s, i, $0.baseAddress, Int32($0.count), transient) }
      }
    }
  }

  /// Records, for entry `seq`, every row of every recorded table (with
  /// `writtenBy`, only the rows whose `auditSeq` is that entry, and `meta`).
  /// A bulk load's single pass, and the first record of a register made
  /// before rows were recorded.
  static func recordAll(entry seq: Int64, writtenBy: Int64?, in db: Database) throws -> Digest {
    let insert = try RecordInsert(db)
    for table in tables {
      let condition = writtenBy != nil && table.hasAuditSeq ? " WHERE auditSeq = \(writtenBy!)" : ""
      let statement = try db.makeStatement(sql: "SELECT * FROM \(table.name)\(condition)")
      var reader = RowDigester(table: table.name, statement: statement)
      let keys = table.keys.map { Int32(statement.columnNames.firstIndex(of: $0)!) }
      while try reader.step() {
        let k2 = keys.count > 1 ? reader.value(keys[1]) : "".databaseValue
        try insert.run(seq: seq, table: table.name, k1: reader.value(keys[0]), k2: k2, digest: reader.digest())
      }
      reader.close()
    }
    return try recordsDigest(of: seq, in: db)
  }

  /// The digest of entry `seq`'s records, read back in the order they are kept.
  /// The digest of an entry's records when it records no row.
  static let noRecords = RowRecordsDigest().finish()

  static func recordsDigest(of seq: Int64, in db: Database) throws -> Digest {
    var digest = RowRecordsDigest()
    let cursor = try Row.fetchCursor(
      db.cachedStatement(
        sql: "SELECT seq, tbl, k1, k2, op, digest FROM auditRow WHERE seq = ? ORDER BY tbl, k1, k2"),
      arguments: [seq])
    while let row = try cursor.next() { digest.add(try record(from: row)) }
    return digest.finish()
  }

  /// A stored record, from a row of `SELECT seq, tbl, k1, k2, op, digest`
  /// (read by position: the log's every record is read this way);
  /// `StoreError.undecodable` for one `cme` never writes.
  static func record(from row: Row) throws -> RowRecord {
    guard let op = RowRecord.Operation(rawValue: row[4] as String? ?? "") else { throw StoreError.undecodable }
    let digest: Digest?
    if let data = row[5] as Data? {
      guard data.count == 32 else { throw StoreError.undecodable }
      digest = Digest(bytes: Array(data))
    } else {
      digest = nil
    }
    return RowRecord(table: row[1], key: value(row[2]), key2: value(row[3]), operation: op, digest: digest)
  }

  static func value(_ v: DatabaseValue) -> RowValue {
    switch v.storage {
    case .null: .null
    case .int64(let n): .integer(n)
    case .double(let x): .real(x)
    case .string(let s): .text(s)
    case .blob(let d): .blob(Array(d))
    }
  }

  /// The digest of a row of `table` as SQLite returned it (`SELECT *`).
  static func digest(of row: Row, table: String) -> Digest {
    RowDigest.of(table: table, columns: row.map { (name: $0.0, value: value($0.1)) })
  }
}
