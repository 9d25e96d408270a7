import Foundation

/// How counts are protected before they are published.
///
/// Small counts (by default 1 to 4) are shown as "fewer than 5" (or `c`);
/// **secondary suppression** then hides further cells so that no hidden cell
/// can be worked out from a total and the other cells of its row or column;
/// counts may be rounded. True zeros are shown as 0. Totals are computed from
/// unrounded values and protected like any other cell.
public struct SuppressionPolicy: Hashable, Sendable, Codable {
  /// Counts from 1 up to this are hidden.
  public var smallest: Int
  /// Round shown counts to this (1: no rounding; 5 or 10).
  public var roundTo: Int
  /// The text shown for a small count.
  public var symbol: String
  /// The text shown for a count hidden only to protect a small one.
  public var secondarySymbol = "hidden"

  public init(smallest: Int = 4, roundTo: Int = 1, symbol: String? = nil) {
    self.smallest = smallest
    self.roundTo = roundTo
    self.symbol = symbol ?? "fewer than \(smallest + 1)"
  }

  public static let `default` = SuppressionPolicy()

  /// The policy in words, for the pack.
  public var statement: String {
    var s =
      "Counts from 1 to \(smallest) are shown as “\(symbol)”; further counts are shown as “\(secondarySymbol)” where a small count could otherwise be worked out from a total and the other counts (secondary suppression)"
    if roundTo > 1 {
      s += "; other counts are rounded to the nearest \(roundTo), and totals are rounded from unrounded figures"
    }
    s += ". Zero is shown as 0. Ratios are not shown for hidden counts."
    return s
  }

  public func shown(_ n: Int) -> String {
    roundTo > 1 ? String(Int((Double(n) / Double(roundTo)).rounded()) * roundTo) : String(n)
  }
}

/// A table of counts with row and column totals, protected for publication.
public struct ProtectedTable: Sendable, Equatable {
  public var rows: [String]
  public var columns: [String]
  public var counts: [[Int]]
  /// Cells hidden: `hidden[r][c]`; index `columns.count` is the row total, index `rows.count` the column totals row.
  public private(set) var hidden: [[Bool]]
  public let policy: SuppressionPolicy

  public var rowTotals: [Int] { counts.map { $0.reduce(0, +) } }
  public var columnTotals: [Int] { columns.indices.map { c in counts.reduce(0) { $0 + $1[c] } } }
  public var grandTotal: Int { rowTotals.reduce(0, +) }

  /// Builds the table and applies primary and secondary suppression.
  ///
  /// - Parameter withTotals: whether row and column totals are published
  ///   (they usually are; secondary suppression protects against them).
  public init(rows: [String], columns: [String], counts: [[Int]], policy: SuppressionPolicy = .default) {
    precondition(counts.count == rows.count && counts.allSatisfy { $0.count == columns.count })
    self.rows = rows
    self.columns = columns
    self.counts = counts
    self.policy = policy
    // The full grid includes the totals: an extra column (row totals) and an extra row (column totals).
    let lastRow = rows.count
    let lastColumn = columns.count
    var grid = counts.map { $0 + [$0.reduce(0, +)] }
    grid.append((0...lastColumn).map { c in grid.reduce(0) { $0 + $1[c] } })
    var hide = grid.map { $0.map { (1...policy.smallest).contains($0) } }

    // Each line (every row with its total, every column with its total) is an
    // equation: the cells add up to the total. A line with exactly one hidden
    // entry gives that entry away; hide the smallest other entry, and repeat.
    func lines() -> [[(Int, Int)]] {
      (0...lastRow).map { r in (0...lastColumn).map { (r, $0) } }
        + (0...lastColumn).map { c in (0...lastRow).map { ($0, c) } }
    }
    var changed = true
    while changed {
      changed = false
      for line in lines() {
        let hiddenCells = line.filter { hide[$0.0][$0.1] }
        guard hiddenCells.count == 1 else { continue }
        // Hide, in order of preference: the smallest non-zero cell; a
        // non-zero total; a zero cell.
        let open = line.filter { !hide[$0.0][$0.1] }
        let isInner = { (p: (Int, Int)) in p.0 < lastRow && p.1 < lastColumn }
        let smallest = { (cells: [(Int, Int)]) in cells.min { grid[$0.0][$0.1] < grid[$1.0][$1.1] } }
        guard
          let pick = smallest(open.filter { isInner($0) && grid[$0.0][$0.1] > 0 })
            ?? smallest(open.filter { !isInner($0) && grid[$0.0][$0.1] > 0 })
            ?? open.first(where: isInner)
        else { continue }
        hide[pick.0][pick.1] = true
        changed = true
      }
    }
    hidden = hide
  }

  /// A one-column table (a list of categories and their total).
  public init(categories: [String], counts: [Int], policy: SuppressionPolicy = .default) {
    self.init(rows: categories, columns: ["count"], counts: counts.map { [$0] }, policy: policy)
  }

  public func isHidden(row r: Int, column c: Int) -> Bool { hidden[r][c] }

  /// The published text of a cell; `column == columns.count` is the row total,
  /// `row == rows.count` the column total.
  public func text(row r: Int, column c: Int) -> String {
    let n: Int
    if r == rows.count {
      n = c == columns.count ? grandTotal : columnTotals[c]
    } else if c == columns.count {
      n = rowTotals[r]
    } else {
      n = counts[r][c]
    }
    if hidden[r][c] { return (1...policy.smallest).contains(n) ? policy.symbol : policy.secondarySymbol }
    return policy.shown(n)
  }

  /// The published value of a cell, nil when hidden (for charts and ratios).
  public func value(row r: Int, column c: Int = 0) -> Int? {
    hidden[r][c]
      ? nil
      : (r == rows.count
        ? (c == columns.count ? grandTotal : columnTotals[c]) : c == columns.count ? rowTotals[r] : counts[r][c])
  }
}
