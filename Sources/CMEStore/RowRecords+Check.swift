import CMEAudit
import Foundation
import GRDB
import GRDBSQLite

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
  static func check(in db: Database, progress: WorkProgress = .silent) throws -> RowCheck {
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
    let stage = "Comparing every row with the log (by table)"
    for (done, table) in tables.enumerated() {
      progress.report(stage, done, of: tables.count)
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
    progress.report(stage, tables.count, of: tables.count)
    while let p = pending {
      result.report("entry \(p.seq): records a row of '\(p.table)', which the log does not record; it was forged")
      pending = try read()
    }
    return result
  }
}
