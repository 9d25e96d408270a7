import CMEDomain
import Foundation
import Testing

/// Tables built to defeat suppression, and an attacker who tries every way
/// to fill in the hidden cells.
struct SuppressionTests {
  /// No hidden cell may be worked out from what is published. The
  /// published facts are linear equations in the hidden cells (each visible
  /// total minus its visible cells); a hidden cell is derivable exactly when
  /// its unit vector lies in the row space of those equations.
  func assertNothingDerivable(_ t: ProtectedTable, sourceLocation: SourceLocation = #_sourceLocation) {
    let lastRow = t.rows.count
    let lastColumn = t.columns.count
    // Variables: every hidden cell of the full grid, totals included.
    var variables: [(Int, Int)] = []
    for r in 0...lastRow { for c in 0...lastColumn where t.isHidden(row: r, column: c) { variables.append((r, c)) } }
    let index = Dictionary(uniqueKeysWithValues: variables.enumerated().map { ("\($1.0),\($1.1)", $0) })
    // One equation per line: the cells of a row (or column) minus its total is 0.
    var equations: [[Double]] = []
    let lines =
      (0...lastRow).map { r in (0..<lastColumn).map { (r, $0) } + [(r, lastColumn)] }
      + (0...lastColumn).map { c in (0..<lastRow).map { ($0, c) } + [(lastRow, c)] }
    for line in lines {
      var coefficients = Array(repeating: 0.0, count: variables.count)
      for (k, cell) in line.enumerated() {
        if let i = index["\(cell.0),\(cell.1)"] { coefficients[i] += k == line.count - 1 ? -1 : 1 }
      }
      if coefficients.contains(where: { $0 != 0 }) { equations.append(coefficients) }
    }
    let rank = { (m: [[Double]]) -> Int in
      var m = m
      var rank = 0
      for col in 0..<variables.count {
        guard let pivot = (rank..<m.count).first(where: { abs(m[$0][col]) > 1e-9 }) else { continue }
        m.swapAt(rank, pivot)
        for r in 0..<m.count where r != rank {
          let f = m[r][col] / m[rank][col]
          for k in 0..<variables.count { m[r][k] -= f * m[rank][k] }
        }
        rank += 1
      }
      return rank
    }
    let base = rank(equations)
    for (i, cell) in variables.enumerated() where cell.0 < lastRow && cell.1 < lastColumn {
      var unit = Array(repeating: 0.0, count: variables.count)
      unit[i] = 1
      #expect(
        rank(equations + [unit]) > base, "cell \(cell) can be worked out from the totals",
        sourceLocation: sourceLocation)
    }
  }

  @Test func small_counts_are_hidden_and_zero_is_shown() {
    let t = ProtectedTable(categories: ["red", "amber", "green", "none"], counts: [12, 3, 20, 0])
    #expect(t.text(row: 1, column: 0) == "c")
    #expect(t.text(row: 3, column: 0) == "0")
    #expect(t.text(row: 2, column: 0) == "20")
  }

  @Test func a_total_minus_one_visible_cell_gives_nothing_away() {
    // 33 − 20 − 10 would reveal the 3: the 10 must be hidden too.
    let t = ProtectedTable(categories: ["a", "b", "c"], counts: [10, 3, 20])
    #expect(t.isHidden(row: 1, column: 0))
    #expect(t.isHidden(row: 0, column: 0))
    #expect(t.text(row: 0, column: 0) == "c")  // hidden only to protect the 3, with the same label
    #expect(!t.isHidden(row: 2, column: 0))
    #expect(t.text(row: 3, column: 0) == "33")
    assertNothingDerivable(t)
  }

  @Test func a_row_and_a_column_each_with_one_small_cell() {
    let t = ProtectedTable(
      rows: ["r1", "r2", "r3"], columns: ["c1", "c2", "c3"], counts: [[2, 6, 7], [5, 6, 8], [6, 9, 3]])
    #expect(t.isHidden(row: 0, column: 0) && t.isHidden(row: 2, column: 2))
    assertNothingDerivable(t)
    // Every line with a hidden cell has at least two.
    for r in 0...3 {
      let n = (0...3).filter { t.isHidden(row: r, column: $0) }.count
      #expect(n != 1, "row \(r)")
    }
    for c in 0...3 {
      let n = (0...3).filter { t.isHidden(row: $0, column: c) }.count
      #expect(n != 1, "column \(c)")
    }
  }

  @Test func a_single_small_category_hides_its_total() {
    let t = ProtectedTable(categories: ["only"], counts: [3])
    #expect(t.isHidden(row: 0, column: 0) && t.isHidden(row: 1, column: 0))
  }

  @Test func two_small_counts_and_a_total_are_not_enough_to_hide_each_other() {
    // 1 + 2 = 3 with the total shown would leave each hidden cell only 0 to 3:
    // a further count is hidden so that each can take at least five values.
    let t = ProtectedTable(categories: ["a", "b", "c", "d"], counts: [1, 2, 30, 12])
    #expect(t.isHidden(row: 0, column: 0) && t.isHidden(row: 1, column: 0))
    #expect(t.isHidden(row: 3, column: 0))
    #expect(!t.isHidden(row: 2, column: 0) && !t.isHidden(row: 4, column: 0))
  }

  @Test func a_line_left_with_only_zeros_is_still_protected() {
    let t = ProtectedTable(categories: ["a", "b", "c"], counts: [2, 0, 0])
    assertNothingDerivable(t)
  }

  @Test func rounding_and_the_policy_statement() {
    let policy = SuppressionPolicy(smallest: 4, roundTo: 5, symbol: "c")
    let t = ProtectedTable(categories: ["a", "b"], counts: [12, 23], policy: policy)
    #expect(t.text(row: 0, column: 0) == "10")
    #expect(t.text(row: 1, column: 0) == "25")
    #expect(t.text(row: 2, column: 0) == "35")
    #expect(policy.statement.contains("rounded to the nearest 5"))
    #expect(SuppressionPolicy.default.statement.hasPrefix("“c” marks a hidden count: every count from 1 to 4"))
    #expect(SuppressionPolicy.default.statement.contains("at least 5 values"))
  }
}

/// Disproportionality against hand-worked examples.
struct DisproportionalityTests {
  @Test func a_hand_worked_ratio_and_interval() throws {
    // 30 of 300 on the register are Gypsy/Roma; 600 of 60,000 in the population.
    // Shares 10% and 1%: ratio 10. SE = √(1/30 − 1/300 + 1/600 − 1/60000) = √0.0316500 = 0.177904;
    // interval exp(ln 10 ± 1.96 × 0.177904) = exp(2.302585 ∓ 0.348692) = 7.056 to 14.172.
    let d = Disproportion(
      group: "Gypsy/Roma", registerCount: 30, registerTotal: 300, populationCount: 600, populationTotal: 60_000)
    #expect(abs(d.ratio! - 10) < 1e-9)
    let ci = try #require(d.interval)
    #expect(abs(ci.lowerBound - 7.056) < 0.001)
    #expect(abs(ci.upperBound - 14.172) < 0.001)
    #expect(d.isOverRepresented(threshold: 1.5))
  }

  @Test func in_proportion_and_under_represented_groups_are_not_called_out() throws {
    // 150 of 300 and 30,000 of 60,000: ratio 1.
    let even = Disproportion(
      group: "White British", registerCount: 150, registerTotal: 300, populationCount: 30_000, populationTotal: 60_000)
    #expect(abs(even.ratio! - 1) < 1e-9)
    #expect(!even.isOverRepresented(threshold: 1.5))
    // 2 of 300 vs 60 of 60,000: ratio 6.67, interval exp(ln 6.667 ± 1.96 √(1/2 − 1/300 + 1/60 − 1/60000)) = 1.637 to 27.15.
    let few = Disproportion(
      group: "Somali", registerCount: 2, registerTotal: 300, populationCount: 60, populationTotal: 60_000)
    #expect(abs(few.ratio! - 6.6667) < 0.001)
    let ci = try #require(few.interval)
    #expect(abs(ci.lowerBound - 1.637) < 0.001 && abs(ci.upperBound - 27.150) < 0.001)
    // A ratio above the threshold whose interval reaches below 1 is not called out: 1 of 300 vs 100 of 60,000, ratio 2.
    let wide = Disproportion(
      group: "Irish Traveller", registerCount: 1, registerTotal: 300, populationCount: 100, populationTotal: 60_000)
    #expect(abs(wide.ratio! - 2) < 1e-9)
    #expect(wide.interval!.lowerBound < 1)
    #expect(!wide.isOverRepresented(threshold: 1.5))
    let none = Disproportion(
      group: "x", registerCount: 0, registerTotal: 300, populationCount: 60, populationTotal: 60_000)
    #expect(none.ratio == 0 && none.interval == nil && !none.isOverRepresented(threshold: 1.5))
    #expect(
      Disproportion(group: "y", registerCount: 3, registerTotal: 300, populationCount: 0, populationTotal: 60_000).ratio
        == nil)
  }
}
