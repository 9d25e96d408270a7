import CMEDomain
import Foundation
import GRDB
import GRDBSQLite

/// The rows of a prepared statement read through SQLite's own interface,
/// column by position, for the loops that read a column of every case: a
/// date is parsed from the bytes SQLite holds, with no string made for it.
struct RawRow {
  let statement: SQLiteStatement

  func isNull(_ i: Int32) -> Bool { sqlite3_column_type(statement, i) == SQLITE_NULL }

  func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(statement, i) }

  /// The column's text as bytes, valid until the next row; nil for NULL.
  /// Text stops at its first NUL, as GRDB reads it everywhere else.
  func bytes(_ i: Int32) -> UnsafeBufferPointer<UInt8>? {
    guard !isNull(i), let p = sqlite3_column_text(statement, i) else { return nil }
    let all = UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(statement, i)))
    return all.firstIndex(of: 0).map { UnsafeBufferPointer(rebasing: all[..<$0]) } ?? all
  }

  func string(_ i: Int32) -> String? { bytes(i).map { String(decoding: $0, as: UTF8.self) } }

  /// A text the schema requires; refused in words when it is NULL.
  func text(_ i: Int32, _ what: String) throws -> String {
    guard let text = string(i) else { throw StoreError.unreadable(what: what, value: nil) }
    return text
  }

  /// An id the schema requires; refused in words when it is NULL.
  func id(_ i: Int32, _ what: String) throws -> Int64 {
    guard !isNull(i) else { throw StoreError.unreadable(what: what, value: nil) }
    return int64(i)
  }

  /// A flag (stored as 0 or 1); nil for NULL.
  func bool(_ i: Int32) -> Bool? { isNull(i) ? nil : int64(i) != 0 }

  func double(_ i: Int32) -> Double? { isNull(i) ? nil : sqlite3_column_double(statement, i) }

  /// A date the schema requires; refused in words when it is NULL.
  func storedDate(_ i: Int32) throws -> LocalDate {
    guard let day = try date(i) else { throw StoreError.unreadable(what: "date", value: nil) }
    return day
  }

  /// A stored date (`YYYY-MM-DD`); nil for NULL, refused when it is anything else.
  func date(_ i: Int32) throws -> LocalDate? {
    guard let b = bytes(i) else { return nil }
    return try RawRow.date(b)
  }

  /// The dates of a comma-separated list, in order (none for NULL).
  func dates(_ i: Int32) throws -> [LocalDate] {
    guard let b = bytes(i), !b.isEmpty else { return [] }
    return try b.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { try RawRow.date($0) }
  }

  static func date<Bytes: RandomAccessCollection>(_ b: Bytes) throws -> LocalDate
  where Bytes.Element == UInt8, Bytes.Index == Int {
    guard let day = LocalDate(isoBytes: b) else {
      throw StoreError.unreadable(what: "date", value: String(decoding: b, as: UTF8.self))
    }
    return day
  }

  /// Prepares `sql` with `arguments` and hands `body` each row.
  static func each(
    _ db: Database, sql: String, arguments: StatementArguments = [], _ body: (RawRow) throws -> Void
  ) throws {
    let statement = try db.makeStatement(sql: sql)
    try statement.setArguments(arguments)
    try each(statement, body)
  }

  /// Steps `statement` (its arguments already set), handing `body` each row.
  static func each(_ statement: Statement, _ body: (RawRow) throws -> Void) throws {
    let s = statement.sqliteStatement
    defer { sqlite3_reset(s) }
    while true {
      let step = sqlite3_step(s)
      if step == SQLITE_DONE { return }
      guard step == SQLITE_ROW else {
        throw StoreError.database(String(cString: sqlite3_errmsg(sqlite3_db_handle(s))))
      }
      try body(RawRow(statement: s))
    }
  }
}
