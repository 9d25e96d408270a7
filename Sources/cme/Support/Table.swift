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

  func json() -> String {
    let objects = rows.map { row in
      Dictionary(uniqueKeysWithValues: zip(columns.map(Table.key), row))
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(objects)) ?? Data("[]".utf8), as: UTF8.self) + "\n"
  }

  /// `days open` → `days_open`.
  static func key(_ column: String) -> String {
    column.lowercased().replacingOccurrences(of: " ", with: "_")
  }
}
