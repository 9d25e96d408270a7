import Foundation

/// A small RFC 4180 CSV reader.
///
/// Reads UTF-8 bytes (a byte-order mark is skipped) into records of fields,
/// each record with the line it starts on. Fields may be quoted; quoted
/// fields may hold commas, doubled quotes and line breaks. Lines end with
/// CRLF or LF; a final line end is optional; blank lines are skipped.
/// Malformed input is reported with its line and column, not guessed at.
/// Columns count characters, not bytes.
///
/// Whatever the bytes, it never crashes and never takes more than one pass:
/// a file over ``maxFileBytes``, bytes that are not UTF-8, a NUL byte, a
/// field over ``maxFieldBytes`` or a record over ``maxRecordBytes`` is
/// refused where it is found.
///
/// The packages available measured 13–28× slower than a byte-level reader
/// like this one on a million rows, which is why it is our own.
public struct CSVReader: Sendable {
  /// The largest file read: 256 MiB. A school's return is a few KB; the
  /// million-row file of the import benchmark is about 180 MB.
  public static let maxFileBytes = 256 << 20
  /// The longest field: 32 KiB. The longest a return holds is an address.
  public static let maxFieldBytes = 32 << 10
  /// The longest record (a line, or more with quoted line breaks): 256 KiB.
  public static let maxRecordBytes = 256 << 10

  public struct Record: Sendable, Equatable {
    /// The 1-based line the record starts on.
    public var line: Int
    public var fields: [String]
  }

  public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "\(line):\(column): \(message)" }
  }

  /// Parses a whole file.
  public static func parse(_ data: [UInt8]) throws(Problem) -> [Record] {
    var records: [Record] = []
    try forEachRecord(data) { records.append($0) }
    return records
  }

  /// Every record of a small file (a calendar, a baseline), or the fault
  /// that stopped the reading, as a problem of `file`.
  public static func parse(_ data: [UInt8], file: String) throws(FileProblems) -> [Record] {
    do {
      return try parse(data)
    } catch {
      throw FileProblems([
        FileProblem(file: file, line: error.line, column: String(error.column), message: error.message)
      ])
    }
  }

  /// Parses a file one record at a time, handing each to `body` as soon as
  /// it is complete, so a large file's records need not all be held at once.
  /// Blank lines are skipped. Stops at the first malformed record.
  public static func forEachRecord(_ data: [UInt8], _ body: (Record) -> Void) throws(Problem) {
    guard data.count <= maxFileBytes else {
      throw Problem(
        line: 1, column: 1,
        message:
          "the file is larger than \(TextBytes.size(maxFileBytes)), the most cme reads; check it is the right file"
      )
    }
    var bytes = data[...]
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
    var fields: [String] = []
    var field: [UInt8] = []
    var line = 1
    var recordLine = 1
    var recordStart = bytes.startIndex
    var column = 1
    var fieldStartLine = 1
    var fieldStartColumn = 1
    var inQuotes = false
    var wasQuoted = false
    var i = bytes.startIndex

    func finishField() throws(Problem) {
      guard i - recordStart <= maxRecordBytes else {
        throw Problem(
          line: recordLine, column: 1,
          message:
            "a record longer than \(TextBytes.size(maxRecordBytes)); a return's rows are far shorter: check the file is a CSV return"
        )
      }
      // Every byte was checked as it was read: the field is UTF-8.
      fields.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
      wasQuoted = false
    }
    func finishRecord() {
      if !(fields.count == 1 && fields[0].isEmpty) { body(Record(line: recordLine, fields: fields)) }
      fields.removeAll(keepingCapacity: true)
    }
    func fieldTooLong() -> Problem {
      Problem(
        line: fieldStartLine, column: fieldStartColumn,
        message: "a field longer than \(TextBytes.size(maxFieldBytes))"
          + (wasQuoted
            ? "; its closing quote may be missing (a quote inside a quoted field is doubled: \"\")"
            : "; a return's fields are far shorter: check the file is a CSV return"))
    }

    while i < bytes.endIndex {
      let b = bytes[i]
      if b == 0 || b >= 0x80 {
        // Not ASCII: a whole UTF-8 character, which is never CSV syntax.
        guard b != 0 else {
          throw Problem(line: line, column: column, message: TextBytes.nul + "; save the file as CSV")
        }
        guard let length = TextBytes.characterLength(bytes, at: i) else {
          throw Problem(
            line: line, column: column,
            message: TextBytes.notUTF8(b) + "; save the file as UTF-8 (CSV UTF-8 in a spreadsheet)")
        }
        if wasQuoted && !inQuotes {
          throw Problem(
            line: line, column: column,
            message: "text after a closing quote; a quoted field must end at a comma or the line end")
        }
        field.append(contentsOf: bytes[i..<(i + length)])
        if field.count > maxFieldBytes { throw fieldTooLong() }
        i += length
        column += 1
        continue
      }
      if inQuotes {
        if b == UInt8(ascii: "\"") {
          let next = bytes.index(after: i)
          if next < bytes.endIndex && bytes[next] == UInt8(ascii: "\"") {
            field.append(b)
            i = bytes.index(after: next)
            column += 2
            continue
          }
          inQuotes = false
        } else {
          field.append(b)
          if field.count > maxFieldBytes { throw fieldTooLong() }
          if b == UInt8(ascii: "\n") {
            line += 1
            column = 0
          }
        }
      } else {
        switch b {
        case UInt8(ascii: ","):
          try finishField()
          fieldStartLine = line
          fieldStartColumn = column + 1
        case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
          // A line ends at LF, CR or CRLF.
          let next = bytes.index(after: i)
          if b == UInt8(ascii: "\r") && next < bytes.endIndex && bytes[next] == UInt8(ascii: "\n") { i = next }
          try finishField()
          finishRecord()
          line += 1
          column = 0
          recordLine = line
          recordStart = bytes.index(after: i)
          fieldStartLine = line
          fieldStartColumn = 1
        case UInt8(ascii: "\""):
          guard field.isEmpty && !wasQuoted else {
            throw Problem(
              line: line, column: column,
              message: "a quote inside an unquoted field; put the whole field in quotes and double the quote (\"\")")
          }
          inQuotes = true
          wasQuoted = true
        default:
          if wasQuoted {
            throw Problem(
              line: line, column: column,
              message: "text after a closing quote; a quoted field must end at a comma or the line end")
          }
          field.append(b)
          if field.count > maxFieldBytes { throw fieldTooLong() }
        }
      }
      i = bytes.index(after: i)
      column += 1
    }
    if inQuotes {
      throw Problem(
        line: fieldStartLine, column: fieldStartColumn,
        message: "a quoted field is not closed before the end of the file")
    }
    if !field.isEmpty || !fields.isEmpty || wasQuoted {
      try finishField()
      finishRecord()
    }
  }
}

/// A problem in an input file, located and explained: `FILE:LINE:COLUMN: message`.
public struct FileProblem: Error, Equatable, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int
  /// A column number or a column name.
  public var column: String
  public var message: String

  public init(file: String, line: Int, column: String, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Every problem found in a file; nothing was written.
public struct FileProblems: Error, Equatable, Sendable, CustomStringConvertible {
  public var problems: [FileProblem]
  /// Problems found beyond those listed: a file with very many (every row
  /// of a wrong file) lists the first ones and counts the rest.
  public var unlisted: Int

  public init(_ problems: [FileProblem], unlisted: Int = 0) {
    self.problems = problems
    self.unlisted = unlisted
  }

  public var description: String {
    let summary =
      unlisted == 0
      ? "\(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was imported"
      : "the first \(TextBytes.grouped(problems.count)) of \(TextBytes.grouped(problems.count + unlisted)) problems are listed; nothing was imported"
    return problems.map(\.description).joined(separator: "\n") + "\n" + summary
  }
}

/// Writing CSV cells (RFC 4180) that are safe to open in a spreadsheet.
public enum CSVWriter {
  /// One cell: text a spreadsheet would run as a formula (starting, after
  /// white space or invisible characters, with `=`, `+`, `-`, `@`, `|`, `%`,
  /// their fullwidth forms, a tab or a carriage return) gets a leading
  /// apostrophe, numbers excepted; then it is quoted if it holds a comma, a
  /// quote or a line break.
  public static func cell(_ raw: String) -> String {
    quick(raw) ?? guarded(raw)
  }

  /// ``cell(_:)`` checked on bytes, for text that is empty or starts with a
  /// visible ASCII character other than a formula's (most cells:
  /// references, dates, codes, names, notes): only quoting can apply to it.
  /// Nil for other text.
  static func quick(_ raw: String) -> String? {
    guard let first = raw.utf8.first else { return raw }
    guard first > 0x20, first < 0x7F, !formulaStarts.contains(UInt32(first)) else { return nil }
    var quotes = 0
    var needsQuoting = false
    for b in raw.utf8 {
      switch b {
      case UInt8(ascii: "\""):
        quotes += 1
        needsQuoting = true
      case UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r"): needsQuoting = true
      default: break
      }
    }
    return needsQuoting ? quoted(raw, quotes: quotes) : raw
  }

  /// `text` in quotes, each quote in it doubled. On its bytes: Foundation's
  /// `replacingOccurrences` on Linux skips a quote that a combining mark
  /// follows, which would end the cell early and let the rest run.
  static func quoted(_ text: String, quotes: Int = 0) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count + quotes + 2)
    bytes.append(UInt8(ascii: "\""))
    for b in text.utf8 {
      bytes.append(b)
      if b == UInt8(ascii: "\"") { bytes.append(b) }
    }
    bytes.append(UInt8(ascii: "\""))
    return String(decoding: bytes, as: UTF8.self)
  }

  /// ``cell(_:)`` for any text, character by character.
  static func guarded(_ raw: String) -> String {
    var cell = raw
    let start = raw.unicodeScalars.drop { $0.properties.isWhitespace || invisible.contains($0.value) }
    if let first = start.first ?? raw.unicodeScalars.first, formulaStarts.contains(first.value),
      Double(raw.trimmingCharacters(in: .whitespaces)) == nil
    {
      cell = "'" + raw
    }
    // (By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".)
    if cell.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      cell = quoted(cell)
    }
    return cell
  }

  /// Characters a spreadsheet ignores or shows as nothing before a formula:
  /// zero-width space, non-joiner and joiner, left-to-right and
  /// right-to-left marks (U+200B–U+200F), word joiner (U+2060), soft hyphen
  /// (U+00AD), Mongolian vowel separator (U+180E), Arabic letter mark
  /// (U+061C), bidirectional embeddings and overrides (U+202A–U+202E),
  /// isolates (U+2066–U+2069) and the byte-order mark (U+FEFF).
  static let invisible: Set<UInt32> = Set(Array(0x200B...0x200F) + [0x2060, 0x00AD, 0x180E, 0x061C, 0xFEFF])
    .union(Array(0x202A...0x202E)).union(Array(0x2066...0x2069))

  /// The characters that start a formula: `= + - @ | %`, tab, carriage
  /// return, and the fullwidth ＝ ＋ － ＠ ｜ ％ a spreadsheet may read as them.
  static let formulaStarts: Set<UInt32> = [
    0x3D, 0x2B, 0x2D, 0x40, 0x7C, 0x25, 0x09, 0x0D, 0xFF1D, 0xFF0B, 0xFF0D, 0xFF20, 0xFF5C, 0xFF05,
  ]

  /// Rows as CSV with CRLF line ends.
  public static func rows(_ rows: [[String]]) -> String {
    rows.map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
  }
}
