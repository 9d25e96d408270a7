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
    RecordedTable(name: "caseMilestone", keys: ["caseId", "kind"]),
    RecordedTable(name: "caseStatusChange", keys: ["id"]),
    RecordedTable(name: "child", keys: ["id"]),
    RecordedTable(name: "childAddress", keys: ["id"]),
    RecordedTable(name: "childConcern", keys: ["childId", "concern"]),
    RecordedTable(name: "childFormerName", keys: ["id"]),
    RecordedTable(name: "childFormerUpn", keys: ["childId", "upn"]),
    RecordedTable(name: "childMerge", keys: ["mergedId"]),
    RecordedTable(name: "closureEvidence", keys: ["statusChangeId"]),
    RecordedTable(name: "closureProposal", keys: ["id"]),
    RecordedTable(name: "cmeCase", keys: ["id"]),
    RecordedTable(name: "disposal", keys: ["id"]),
    RecordedTable(name: "enquiry", keys: ["caseId", "item"]),
    RecordedTable(name: "importFile", keys: ["id"]),
    RecordedTable(name: "importRow", keys: ["rowDigest"]),
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
    try try Row.fetchAll(db, sql: "SELECT DISTINCT tbl, k1 FROM temp.\(changes) LIMIT 3").map {
      "\($0["tbl"] as String) \($0["k1"] as DatabaseValue)"
    }
  }

  /// Records, for entry `seq`, the rows changed since the last entry, and
  /// returns the digest of all of the entry's records.
  static func record(entry seq: Int64, in db: Database) throws -> Digest {
    let changed = try Row.fetchAll(
      db.cachedStatement(sql: "SELECT DISTINCT tbl, k1, k2 FROM temp.\(changes)"))
    if !changed.isEmpty { try db.cachedStatement(sql: "DELETE FROM temp.\(changes)").execute() }
    for c in changed {
      let name: String = c["tbl"]
      guard let table = byName[name] else { continue }
      let k1: DatabaseValue = c["k1"]
      let k2: DatabaseValue = c["k2"]
      let statement = try db.cachedStatement(sql: "SELECT * FROM \(name) WHERE \(table.keyCondition)")
      var reader = RowDigester(table: name, statement: statement)
      try reader.reset(table.keys.count > 1 ? [k1, k2] : [k1])
      defer { reader.close() }
      var digest: Digest?
      if try reader.step() {
        if table.hasAuditSeq, let i = statement.columnNames.firstIndex(of: "auditSeq"),
          reader.value(Int32(i)) != seq.databaseValue
        {
          throw StoreError.unrecorded("\(name) row \(k1) was changed without naming entry \(seq) in its auditSeq")
        }
        digest = reader.digest()
      }
      try insert(seq: seq, table: name, k1: k1, k2: k2, digest: digest, in: db)
    }
    return try recordsDigest(of: seq, in: db)
  }

  /// Records, for entry `seq`, every row of every recorded table (with
  /// `writtenBy`, only the rows whose `auditSeq` is that entry, and `meta`).
  /// A bulk load's single pass, and the first record of a register made
  /// before rows were recorded.
  static func recordAll(entry seq: Int64, writtenBy: Int64?, in db: Database) throws -> Digest {
    for table in tables {
      let condition = writtenBy != nil && table.hasAuditSeq ? " WHERE auditSeq = \(writtenBy!)" : ""
      let statement = try db.makeStatement(sql: "SELECT * FROM \(table.name)\(condition)")
      var reader = RowDigester(table: table.name, statement: statement)
      let keys = table.keys.map { Int32(statement.columnNames.firstIndex(of: $0)!) }
      while try reader.step() {
        let k2 = keys.count > 1 ? reader.value(keys[1]) : "".databaseValue
        try insert(seq: seq, table: table.name, k1: reader.value(keys[0]), k2: k2, digest: reader.digest(), in: db)
      }
      reader.close()
    }
    return try recordsDigest(of: seq, in: db)
  }

  static func insert(seq: Int64, table: String, k1: DatabaseValue, k2: DatabaseValue, digest: Digest?, in db: Database)
    throws
  {
    try db.cachedStatement(sql: "INSERT INTO auditRow (seq, tbl, k1, k2, op, digest) VALUES (?, ?, ?, ?, ?, ?)")
      .execute(arguments: [seq, table, k1, k2, digest == nil ? "d" : "w", digest.map { Data($0.bytes) }])
  }

  /// The digest of entry `seq`'s records, read back in the order they are kept.
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

// MARK: - Checking

extension RowRecords {
  /// Whether one row is as the log last recorded it: false when it differs,
  /// or is there though its deletion was recorded (or the reverse); nil when
  /// the log records no rows (a register made before it did).
  static func isAsRecorded(_ table: RecordedTable, key: DatabaseValue, in db: Database) throws -> Bool? {
    guard table.keys.count == 1 else { return nil }
    guard try Bool.fetchOne(db, sql: "SELECT 1 FROM auditRow LIMIT 1") == true else { return nil }
    let latest = try Row.fetchOne(
      db, sql: "SELECT op, digest FROM auditRow WHERE tbl = ? AND k1 = ? AND k2 = '' ORDER BY seq DESC LIMIT 1",
      arguments: [table.name, key])
    let row = try Row.fetchOne(db, sql: "SELECT * FROM \(table.name) WHERE \(table.keyCondition)", arguments: [key])
    switch (latest, row) {
    case (nil, nil): return true
    case (nil, _?): return false
    case (let l?, nil): return l["op"] as String == "d"
    case (let l?, let r?): return l["digest"] as Data? == Data(digest(of: r, table: table.name).bytes)
    }
  }

  /// SQLite's order of two values (NULL, then numbers, then text by bytes,
  /// then blobs): how `ORDER BY` sorted both sides of a merge.
  static func order(_ a: DatabaseValue, _ b: DatabaseValue) -> Int {
    func rank(_ v: DatabaseValue) -> Int {
      switch v.storage {
      case .null: 0
      case .int64, .double: 1
      case .string: 2
      case .blob: 3
      }
    }
    let (ra, rb) = (rank(a), rank(b))
    if ra != rb { return ra < rb ? -1 : 1 }
    func bytes(_ x: some Sequence<UInt8>, _ y: some Sequence<UInt8>) -> Int {
      var i = x.makeIterator()
      var j = y.makeIterator()
      while true {
        switch (i.next(), j.next()) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let p?, let q?): if p != q { return p < q ? -1 : 1 }
        }
      }
    }
    switch (a.storage, b.storage) {
    case (.int64(let x), .int64(let y)): return x == y ? 0 : x < y ? -1 : 1
    case (.int64(let x), .double(let y)): return Double(x) == y ? 0 : Double(x) < y ? -1 : 1
    case (.double(let x), .int64(let y)): return x == Double(y) ? 0 : x < Double(y) ? -1 : 1
    case (.double(let x), .double(let y)): return x == y ? 0 : x < y ? -1 : 1
    case (.string(let x), .string(let y)): return bytes(x.utf8, y.utf8)
    case (.blob(let x), .blob(let y)): return bytes(x, y)
    default: return 0
    }
  }

  /// What `verify` found in the rows.
  struct RowCheck {
    var rowsChecked = 0
    /// The problems found, the first ``limit`` of them in words.
    var problems: [String] = []
    var problemCount = 0
    static let limit = 20

    mutating func report(_ text: String) {
      problemCount += 1
      if problems.count < RowCheck.limit { problems.append(text) }
    }
  }

  /// Compares every row of every recorded table with the latest record of
  /// it. Streams both sides in key order: memory stays flat whatever the
  /// register's size.
  static func check(in db: Database) throws -> RowCheck {
    var result = RowCheck()
    // The latest record of each row, read in (table, key) order.
    // Read through SQLite's own interface: this is every record of the log.
    let records = try db.makeStatement(
      sql: "SELECT tbl, k1, k2, seq, op, digest FROM auditRow ORDER BY tbl, k1, k2, seq")
    let rs = records.sqliteStatement
    defer { sqlite3_reset(rs) }
    typealias Latest = (table: String, k1: DatabaseValue, k2: DatabaseValue, seq: Int64, op: String, digest: Data?)
    var pending: Latest?
    func read() throws -> Latest? {
      switch sqlite3_step(rs) {
      case SQLITE_ROW: break
      case SQLITE_DONE: return nil
      default: throw StoreError.database(String(cString: sqlite3_errmsg(sqlite3_db_handle(rs))))
      }
      let digest = RowDigester.value(rs, 5)
      return (
        String(cString: sqlite3_column_text(rs, 0)), RowDigester.value(rs, 1), RowDigester.value(rs, 2),
        sqlite3_column_int64(rs, 3), String(cString: sqlite3_column_text(rs, 4)),
        digest.isNull ? nil : Data.fromDatabaseValue(digest)
      )
    }
    pending = try read()
    /// The latest record of the next row recorded for `table`, if any.
    func nextGroup(of table: String) throws -> Latest? {
      guard var latest = pending, latest.table == table else { return nil }
      pending = try read()
      while let p = pending, p.table == table, order(p.k1, latest.k1) == 0, order(p.k2, latest.k2) == 0 {
        latest = p
        pending = try read()
      }
      return latest
    }
    func name(_ t: RecordedTable, _ k1: DatabaseValue, _ k2: DatabaseValue) -> String {
      t.keys.count > 1 ? "\(t.name) row (\(k1), \(k2))" : "\(t.name) row \(k1)"
    }
    for table in tables {
      // Records of tables that are not recorded (a name cme never writes).
      while let p = pending, p.table.utf8.lexicographicallyPrecedes(table.name.utf8) {
        result.report("entry \(p.seq): records a row of '\(p.table)', which the log does not record; it was forged")
        pending = try read()
      }
      let statement = try db.makeStatement(sql: "SELECT * FROM \(table.name) ORDER BY \(table.keyColumns)")
      var reader = RowDigester(table: table.name, statement: statement)
      defer { reader.close() }
      let keys = table.keys.map { Int32(statement.columnNames.firstIndex(of: $0)!) }
      var group = try nextGroup(of: table.name)
      while try reader.step() {
        result.rowsChecked += 1
        let k1 = reader.value(keys[0])
        let k2 = keys.count > 1 ? reader.value(keys[1]) : "".databaseValue
        // Rows recorded before this one that are no longer there.
        while let g = group, order(g.k1, k1) < 0 || (order(g.k1, k1) == 0 && order(g.k2, k2) < 0) {
          if g.op == "w" {
            result.report(
              "\(name(table, g.k1, g.k2)): written by entry \(g.seq), but it is not there; it was deleted outside cme")
          }
          group = try nextGroup(of: table.name)
        }
        guard let g = group, order(g.k1, k1) == 0, order(g.k2, k2) == 0 else {
          result.report("\(name(table, k1, k2)): no entry records it; it was added outside cme")
          continue
        }
        group = try nextGroup(of: table.name)
        if g.op == "d" {
          result.report(
            "\(name(table, k1, k2)): entry \(g.seq) deleted it, but it is there; it was put back outside cme")
        } else if g.digest != Data(reader.digest().bytes) {
          result.report(
            "\(name(table, k1, k2)): differs from what entry \(g.seq) recorded; it was changed outside cme")
        }
      }
      while let g = group {
        if g.op == "w" {
          result.report(
            "\(name(table, g.k1, g.k2)): written by entry \(g.seq), but it is not there; it was deleted outside cme")
        }
        group = try nextGroup(of: table.name)
      }
    }
    while let p = pending {
      result.report("entry \(p.seq): records a row of '\(p.table)', which the log does not record; it was forged")
      pending = try read()
    }
    return result
  }
}

// MARK: - Reading rows fast

/// Digests the rows a statement returns, reading SQLite's values in place
/// (no `Row`, no `String` per value): `verify` and bulk loads digest every
/// row of the register. Encodes exactly as ``RowDigest/of(table:columns:)``
/// (a test compares the two on a register's rows).
struct RowDigester {
  private let statement: Statement
  private let s: OpaquePointer
  /// Column indexes in the byte order of their names, and each name's field.
  private let order: [(index: Int32, name: [UInt8])]
  private let prefix: [UInt8]
  private var buffer: [UInt8] = []

  init(table: String, statement: Statement) {
    self.statement = statement
    s = statement.sqliteStatement
    (order, prefix) = Self.layout(table: table, columns: statement.columnNames)
    buffer.reserveCapacity(1024)
  }

  private typealias Layout = (order: [(index: Int32, name: [UInt8])], prefix: [UInt8])
  nonisolated(unsafe) private static var layouts: [String: Layout] = [:]
  private static let layoutsLock = NSLock()

  /// The order and encoded names of a table's columns (kept: an import
  /// digests a few rows of each table for every row it reads).
  private static func layout(table: String, columns names: [String]) -> Layout {
    let key = table + "\u{0}" + names.joined(separator: "\u{0}")
    layoutsLock.lock()
    defer { layoutsLock.unlock() }
    if let known = layouts[key] { return known }
    let order = names.indices.sorted { names[$0].utf8.lexicographicallyPrecedes(names[$1].utf8) }.map { i in
      var field: [UInt8] = []
      CanonicalEncoding.append(names[i], to: &field)
      return (Int32(i), field)
    }
    var prefix = RowDigest.rowTag
    CanonicalEncoding.append(table, to: &prefix)
    layouts[key] = (order, prefix)
    return (order, prefix)
  }

  /// Steps to the next row; false at the end.
  func step() throws -> Bool {
    switch sqlite3_step(s) {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default:
      throw StoreError.database(String(cString: sqlite3_errmsg(sqlite3_db_handle(s))))
    }
  }

  /// Leaves the statement ready for its next use (not holding a read open).
  func close() { sqlite3_reset(s) }

  /// Starts again with new arguments.
  func reset(_ arguments: StatementArguments) throws {
    sqlite3_reset(s)
    try statement.setArguments(arguments)
  }

  /// A column of the current row, as GRDB values it (for keys).
  func value(_ index: Int32) -> DatabaseValue { Self.value(s, index) }

  /// A column of a statement's current row, as GRDB values it.
  static func value(_ s: OpaquePointer, _ index: Int32) -> DatabaseValue {
    switch sqlite3_column_type(s, index) {
    case SQLITE_INTEGER: return sqlite3_column_int64(s, index).databaseValue
    case SQLITE_FLOAT: return sqlite3_column_double(s, index).databaseValue
    case SQLITE_TEXT: return String(cString: sqlite3_column_text(s, index)).databaseValue
    case SQLITE_BLOB:
      let n = Int(sqlite3_column_bytes(s, index))
      guard n > 0, let p = sqlite3_column_blob(s, index) else { return Data().databaseValue }
      return Data(bytes: p, count: n).databaseValue
    default: return .null
    }
  }

  /// The digest of the current row.
  mutating func digest() -> Digest {
    buffer.removeAll(keepingCapacity: true)
    buffer.append(contentsOf: prefix)
    for (i, name) in order {
      switch sqlite3_column_type(s, i) {
      case SQLITE_INTEGER:
        buffer.append(contentsOf: name)
        buffer.append(UInt8(ascii: "I"))
        RowDigest.appendBigEndian(UInt64(bitPattern: sqlite3_column_int64(s, i)), to: &buffer)
      case SQLITE_FLOAT:
        buffer.append(contentsOf: name)
        buffer.append(UInt8(ascii: "R"))
        RowDigest.appendBigEndian(sqlite3_column_double(s, i).bitPattern, to: &buffer)
      case SQLITE_TEXT, SQLITE_BLOB:
        let text = sqlite3_column_type(s, i) == SQLITE_TEXT
        let p = text ? UnsafeRawPointer(sqlite3_column_text(s, i)) : sqlite3_column_blob(s, i)
        let n = Int(sqlite3_column_bytes(s, i))
        buffer.append(contentsOf: name)
        buffer.append(UInt8(ascii: text ? "T" : "B"))
        buffer.append(1)
        RowDigest.appendBigEndian(UInt64(n), to: &buffer)
        if let p, n > 0 { buffer.append(contentsOf: UnsafeRawBufferPointer(start: p, count: n)) }
      default:
        continue
      }
    }
    return Digest.sha256(buffer)
  }
}
