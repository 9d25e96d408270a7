import Foundation

/// How counts are protected before they are published (see ``DisclosureSheet``).
///
/// Counts from 1 to `smallest` are hidden, and further counts wherever a
/// reader combining every published figure could otherwise narrow a hidden
/// one to fewer than `smallest + 1` possible values. Every hidden count has
/// the same label, `symbol`. Zero is shown as 0 unless it has to be hidden
/// to protect a small count. Counts may be rounded.
public struct SuppressionPolicy: Hashable, Sendable, Codable {
  /// Counts from 1 up to this are hidden.
  public var smallest: Int
  /// Round shown counts to this (1: no rounding; 5 or 10).
  public var roundTo: Int
  /// The label of every hidden count.
  public var symbol: String

  public init(smallest: Int = 4, roundTo: Int = 1, symbol: String? = nil) {
    self.smallest = smallest
    self.roundTo = roundTo
    self.symbol = symbol ?? "c"
  }

  public static let `default` = SuppressionPolicy()

  /// The policy in words, for the pack.
  public var statement: String {
    var s =
      "“\(symbol)” marks a hidden count: every count from 1 to \(smallest), and any other count (zero included) that would let a small one be worked out from totals, other tables or the last meeting's pack. Whatever is combined, a hidden count can still be any of at least \(smallest + 1) values"
    if roundTo > 1 {
      s += "; other counts are rounded to the nearest \(roundTo), and totals are rounded from unrounded figures"
    }
    s += ". Shares, rates and ratios are not shown for hidden counts."
    return s
  }

  public func shown(_ n: Int) -> String {
    roundTo > 1 ? String(Int((Double(n) / Double(roundTo)).rounded()) * roundTo) : String(n)
  }
}

/// A table of counts with row and column totals, its cells part of a
/// ``DisclosureSheet`` so that it is protected together with every other
/// figure of the pack.
public struct ProtectedTable: Sendable {
  public var rows: [String]
  public var columns: [String]
  /// The cells: `cells[r][c]`; column `columns.count` is the row total, row
  /// `rows.count` the column totals.
  public let cells: [[DisclosureSheet.Cell]]
  public let counts: [[Int]]
  var published: ProtectedCells?

  /// Adds a table's cells and its sums to `sheet`. `total`: a cell already in
  /// the sheet that is the table's grand total (the open cases, for a
  /// breakdown of them).
  public init(
    rows: [String], columns: [String], counts: [[Int]], name: String, total: DisclosureSheet.Cell? = nil,
    in sheet: inout DisclosureSheet
  ) {
    precondition(counts.count == rows.count && counts.allSatisfy { $0.count == columns.count })
    self.rows = rows
    self.columns = columns
    self.counts = counts
    var grid: [[DisclosureSheet.Cell]] = []
    let single = columns.count == 1
    for r in rows.indices {
      var line = counts[r].indices.map { sheet.cell("\(name): \(rows[r]): \(columns[$0])", counts[r][$0]) }
      line.append(single ? line[0] : sheet.cell("\(name): \(rows[r]): total", counts[r].reduce(0, +)))
      if !single { sheet.sum(Array(line.dropLast()), is: line.last!) }
      grid.append(line)
    }
    let grand = counts.reduce(0) { $0 + $1.reduce(0, +) }
    let grandCell = total ?? sheet.cell("\(name): total", grand)
    var totals = columns.indices.map { c in
      single ? grandCell : sheet.cell("\(name): total: \(columns[c])", counts.reduce(0) { $0 + $1[c] })
    }
    totals.append(grandCell)
    for c in 0...columns.count where !single || c == 0 { sheet.sum(grid.map { $0[c] }, is: totals[c]) }
    if !single { sheet.sum(Array(totals.dropLast()), is: grandCell) }
    grid.append(totals)
    cells = grid
  }

  /// A one-column table (categories and their total).
  public init(
    categories: [String], counts: [Int], name: String, total: DisclosureSheet.Cell? = nil,
    in sheet: inout DisclosureSheet
  ) {
    self.init(rows: categories, columns: ["count"], counts: counts.map { [$0] }, name: name, total: total, in: &sheet)
  }

  /// A table protected on its own.
  public init(rows: [String], columns: [String], counts: [[Int]], policy: SuppressionPolicy = .default) {
    var sheet = DisclosureSheet(policy: policy)
    self.init(rows: rows, columns: columns, counts: counts, name: "table", in: &sheet)
    published = sheet.protected()
  }

  /// A one-column table protected on its own.
  public init(categories: [String], counts: [Int], policy: SuppressionPolicy = .default) {
    self.init(rows: categories, columns: ["count"], counts: counts.map { [$0] }, policy: policy)
  }

  /// The table as published from its sheet's protection.
  public func publishing(_ cells: ProtectedCells) -> ProtectedTable {
    var t = self
    t.published = cells
    return t
  }

  public var policy: SuppressionPolicy { published?.policy ?? .default }

  func cell(_ r: Int, _ c: Int) -> DisclosureSheet.Cell { cells[r][columns.count == 1 && c == 1 ? 0 : c] }

  public func isHidden(row r: Int, column c: Int) -> Bool { published!.isHidden(cell(r, c)) }

  /// The published text of a cell; `column == columns.count` is the row total,
  /// `row == rows.count` the column total.
  public func text(row r: Int, column c: Int) -> String { published!.text(cell(r, c)) }

  /// The published value of a cell, nil when hidden (for charts and ratios).
  public func value(row r: Int, column c: Int = 0) -> Int? { published!.value(cell(r, c)) }
}
