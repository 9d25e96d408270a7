import CMEAudit
import Foundation
import GRDB
import GRDBSQLite

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
