import CMEDomain
import Foundation

/// A listing: a header and rows of text, printed as an aligned table, CSV or JSON.
struct Table {
  var columns: [String]
  var rows: [[String]]
  /// In the aligned text view only, cells of these columns are cut to this
  /// many characters (CSV and JSON keep the whole text).
  var maxWidth: [String: Int] = [:]

  func render(_ format: OutputFormat) -> String {
    switch format {
    case .table: text()
    case .csv: csv()
    case .json: json()
    }
  }

  func text() -> String {
    let limits = columns.map { maxWidth[$0] }
    // A control character already stored (from before text was checked, or
    // written by another program) is shown, never sent to the terminal.
    let columns = columns.map(TextRules.visible)
    let rows = rows.map { row in
      row.map(TextRules.visible).enumerated().map { i, cell in
        guard i < limits.count, let limit = limits[i], cell.count > limit else { return cell }
        return String(cell.prefix(limit - 1)) + "…"
      }
    }
    var widths = columns.map(\.count)
    for row in rows {
      for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { i, c in
        i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count)
      }.joined(separator: "  ")
    }
    var out = [line(columns), line(widths.map { String(repeating: "-", count: $0) })]
    out += rows.map(line)
    return out.joined(separator: "\n") + "\n"
  }

  /// RFC 4180 CSV with CRLF line ends, safe to open in a spreadsheet.
  func csv() -> String { CSVWriter.rows([columns] + rows) }

  /// A JSON array of objects, one per row (keys from ``key(_:)``), as
  /// `JSONEncoder` writes it pretty-printed with sorted keys.
  func json() -> String {
    guard !rows.isEmpty else { return "[\n\n]\n" }
    var out: [UInt8] = Array("[\n".utf8)
    let keys = JSONObjects(columns: columns)
    for (i, row) in rows.enumerated() {
      if i > 0 { out += Array(",\n".utf8) }
      keys.append(row, to: &out)
    }
    out += Array("\n]\n".utf8)
    return String(decoding: out, as: UTF8.self)
  }

  /// `days open` → `days_open`.
  static func key(_ column: String) -> String {
    column.lowercased().replacingOccurrences(of: " ", with: "_")
  }
}

/// A listing written to standard output a batch of rows at a time, as CSV
/// or JSON, exactly as ``Table/render(_:)`` writes it whole: for listings of
/// a whole register, whose rows are not all held at once.
struct TableStream {
  let columns: [String]
  let format: OutputFormat
  private let objects: JSONObjects
  private var rowsWritten = 0
  private var started = false

  init(columns: [String], format: OutputFormat) {
    precondition(format != .table, "the aligned table needs every row to size its columns")
    self.columns = columns
    self.format = format
    objects = JSONObjects(columns: columns)
  }

  mutating func write(_ rows: [[String]]) {
    var out = ""
    switch format {
    case .csv:
      if !started { out = CSVWriter.rows([columns]) }
      if !rows.isEmpty { out += CSVWriter.rows(rows) }
    case .json, .table:
      var bytes: [UInt8] = []
      for row in rows {
        bytes += Array((rowsWritten == 0 ? "[\n" : ",\n").utf8)
        objects.append(row, to: &bytes)
        rowsWritten += 1
      }
      out = String(decoding: bytes, as: UTF8.self)
    }
    started = true
    print(out, terminator: "")
  }

  /// Ends the listing (the header alone, or an empty array, when no row came).
  mutating func finish() {
    switch format {
    case .csv: if !started { write([]) }
    case .json, .table: print(rowsWritten == 0 ? Table(columns: columns, rows: []).json() : "\n]\n", terminator: "")
    }
  }
}

/// A listing's rows as the JSON objects of ``Table/json()``: each column's
/// key, in the order the objects list them.
struct JSONObjects {
  let keys: [String]
  /// For each key in order, the column it comes from.
  let column: [Int]

  init(columns: [String]) {
    let named = columns.map(Table.key)
    keys = JSONText.sortedKeys(named)
    column = keys.map { named.firstIndex(of: $0)! }
  }

  /// Appends one row's object, one level deep in the array.
  func append(_ row: [String], to out: inout [UInt8]) {
    JSONText.appendPrettyObject(
      keys: keys, values: { column[$0] < row.count ? row[column[$0]] : "" }, indent: 1, to: &out)
  }
}
