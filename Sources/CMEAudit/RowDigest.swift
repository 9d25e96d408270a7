/// A value of one column of a row, as SQLite stores it.
public enum RowValue: Sendable, Equatable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case blob([UInt8])
}

/// The digest of one row of a recorded table, and of the records an entry
/// makes of the rows it changed. See `docs/audit-log.md`, "Row records".
///
/// A row is encoded as the ASCII tag `cme-row-v1`, the table's name, then,
/// for each column whose value is not NULL, in the byte order of the
/// columns' names: the name and the value. A name or text is written as a
/// field of ``CanonicalEncoding`` (`0x01`, length as 8 bytes big-endian,
/// UTF-8 bytes); a value starts with its type: `I` and 8 bytes big-endian
/// (integer), `R` and the IEEE 754 bits as 8 bytes big-endian (real), `T`
/// and a field (text), `B` and a field (blob). NULL columns are left out,
/// so a column added later with no value leaves every digest as it was.
/// The row's digest is SHA-256 of those bytes.
public enum RowDigest {
  package static let rowTag = Array("cme-row-v1".utf8)
  static let recordsTag = Array("cme-rows-v1".utf8)

  /// The digest of a row of `table` with these columns (names and values,
  /// in any order).
  public static func of(table: String, columns: [(name: String, value: RowValue)]) -> Digest {
    let present = columns.filter { $0.value != .null }.sorted {
      $0.name.utf8.lexicographicallyPrecedes($1.name.utf8)
    }
    var out = rowTag
    out.reserveCapacity(256)
    CanonicalEncoding.append(table, to: &out)
    for column in present {
      CanonicalEncoding.append(column.name, to: &out)
      append(column.value, to: &out)
    }
    return Digest.sha256(out)
  }

  static func append(_ value: RowValue, to out: inout [UInt8]) {
    switch value {
    case .null:
      out.append(UInt8(ascii: "N"))
    case .integer(let n):
      out.append(UInt8(ascii: "I"))
      appendBigEndian(UInt64(bitPattern: n), to: &out)
    case .real(let x):
      out.append(UInt8(ascii: "R"))
      appendBigEndian(x.bitPattern, to: &out)
    case .text(let s):
      out.append(UInt8(ascii: "T"))
      CanonicalEncoding.append(s, to: &out)
    case .blob(let b):
      out.append(UInt8(ascii: "B"))
      CanonicalEncoding.append(b, to: &out)
    }
  }

  package static func appendBigEndian(_ n: UInt64, to out: inout [UInt8]) {
    for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: n >> UInt64(shift))) }
  }
}

/// What an entry did to one row: wrote it (with the row's digest after the
/// change) or deleted it.
public struct RowRecord: Sendable, Equatable {
  public enum Operation: String, Sendable {
    case wrote = "w"
    case deleted = "d"
  }

  public var table: String
  /// The row's primary key: one value, or two for a table keyed by a pair
  /// (the second is the empty text for a table with one key column).
  public var key: RowValue
  public var key2: RowValue
  public var operation: Operation
  /// The row's digest after the change; nil for a deletion.
  public var digest: Digest?

  public init(table: String, key: RowValue, key2: RowValue, operation: Operation, digest: Digest?) {
    self.table = table
    self.key = key
    self.key2 = key2
    self.operation = operation
    self.digest = digest
  }
}

/// The digest of the records one entry made, fed in the order the register
/// keeps them (by table, then key): SHA-256 of the tag `cme-rows-v1` and,
/// for each record, the table, both key values (encoded as in a row), the
/// operation and the row's 32-byte digest (absent for a deletion). An
/// entry that changed no row has the digest of the tag alone, so that a
/// record added to it later is noticed.
public struct RowRecordsDigest {
  private var hasher = IncrementalDigest()
  private var out: [UInt8] = []

  public init() {
    hasher.update(RowDigest.recordsTag)
    out.reserveCapacity(128)
  }

  public mutating func add(_ record: RowRecord) {
    out.removeAll(keepingCapacity: true)
    CanonicalEncoding.append(record.table, to: &out)
    RowDigest.append(record.key, to: &out)
    RowDigest.append(record.key2, to: &out)
    CanonicalEncoding.append(record.operation.rawValue, to: &out)
    CanonicalEncoding.append(record.digest?.bytes, to: &out)
    hasher.update(out)
  }

  public func finish() -> Digest { hasher.finish() }
}
