import Foundation

/// Every count a pack publishes, as one set of cells with the relations a
/// reader knows between them, protected together.
///
/// A reader of a pack knows more than each table: the rows of a table add up
/// to its total; every breakdown of the open cases adds up to the number of
/// open cases; a named ethnic group is part of a main group; the open cases
/// now are the open cases at the last meeting plus those opened since, less
/// those closed since. Given everything published, a hidden cell can take
/// only the values that satisfy all of these at once with every hidden cell
/// a whole number from 0 up to the largest published count. The rule: every
/// hidden cell must keep at least `policy.smallest + 1` possible values (5
/// by default, as many as "0 to 4"), so a reader who combines every figure,
/// bounds as well as equations, learns no more about a small count than
/// that it is small.
///
/// Protection: counts from 1 to `smallest` are hidden (primary); then, while
/// some hidden cell can be narrowed below the rule, the smallest visible
/// count related to it is hidden too (secondary), preferring counts that have
/// not already been published elsewhere. One label is used for every hidden
/// cell, so a reader cannot tell a small count from one hidden to protect it.
/// The possible values of each hidden cell are found exactly with a linear
/// programme per cell; the relations here (sums of cells equal to a total,
/// two cells equal) keep its vertices whole numbers, and an independent
/// attacker in the tests confirms the result with integer search.
public struct DisclosureSheet: Sendable {
  /// A cell of the sheet.
  public struct Cell: Hashable, Sendable {
    public let index: Int
  }

  struct Entry: Sendable {
    var name: String
    var value: Int
    /// Published in the pack (an unpublished cell is a quantity a relation
    /// needs, such as the children of Black African heritage who are not
    /// Somali; it is never shown and needs no protection of its own).
    var published: Bool
    /// Already published elsewhere (an earlier pack): hidden only when small.
    var fixed: Bool
    /// An unpublished count that must not be worked out when it is small
    /// (the children of a group left over when a part is taken from a whole).
    var guarded: Bool
  }

  public let policy: SuppressionPolicy
  var entries: [Entry] = []
  /// Each relation: Σ coefficient × cell = 0.
  var relations: [[(cell: Int, coefficient: Int)]] = []

  public init(policy: SuppressionPolicy = .default) { self.policy = policy }

  /// Adds a published count. `fixed`: the same figure was already published
  /// (in an earlier pack), so it is hidden only when small itself.
  public mutating func cell(_ name: String, _ value: Int, fixed: Bool = false) -> Cell {
    entries.append(Entry(name: name, value: max(0, value), published: true, fixed: fixed, guarded: false))
    return Cell(index: entries.count - 1)
  }

  /// Adds a quantity that is not published but that a reader could reason
  /// about. `guarded`: it counts children, so when it is small it must not
  /// be worked out from what is published either.
  public mutating func unpublished(_ name: String, _ value: Int, guarded: Bool = true) -> Cell {
    entries.append(Entry(name: name, value: max(0, value), published: false, fixed: false, guarded: guarded))
    return Cell(index: entries.count - 1)
  }

  /// The parts add up to the total.
  public mutating func sum(_ parts: [Cell], is total: Cell) {
    var terms = parts.map { (cell: $0.index, coefficient: 1) }
    terms.append((cell: total.index, coefficient: -1))
    relations.append(terms)
  }

  /// A general relation: Σ coefficient × cell = 0.
  public mutating func relation(_ terms: [(Cell, Int)]) {
    relations.append(terms.map { (cell: $0.0.index, coefficient: $0.1) })
  }

  /// Applies the rule and returns the published cells. `hidingAll`: every
  /// count is hidden (a register too small to publish any figure of).
  public func protected(hidingAll: Bool = false) -> ProtectedCells {
    let n = entries.count
    let small = 1...max(1, policy.smallest)
    var hidden = entries.map { hidingAll || !$0.published || small.contains($0.value) }
    let minimumWidth = Double(policy.smallest)
    // Relations by cell, to find what a narrowed cell is related to.
    var relationsOf = Array(repeating: [Int](), count: n)
    for (r, terms) in relations.enumerated() { for t in terms { relationsOf[t.cell].append(r) } }

    for _ in 0..<(hidingAll ? 0 : n + 1) {
      let ranges = Self.ranges(
        values: entries.map(\.value), hidden: hidden, published: entries.map(\.published),
        relations: relations)
      // The narrowest published hidden cell below the rule, if any.
      var worst: (cell: Int, width: Double)?
      for (cell, range) in ranges.sorted(by: { $0.key < $1.key })
      where entries[cell].published || (entries[cell].guarded && small.contains(entries[cell].value)) {
        let width = range.upperBound - range.lowerBound
        if width < minimumWidth - 1e-6, worst.map({ width < $0.width }) ?? true { worst = (cell, width) }
      }
      guard let (cell, _) = worst else { break }
      // Hide the smallest visible count related to it: counts not already
      // published elsewhere first, then non-zero counts before zeros.
      // The visible counts of every relation that reaches the cell through
      // hidden cells: hiding one of them can widen it.
      var candidates = Set<Int>()
      var reached: Set<Int> = [cell]
      var queue = [cell]
      var seenRelations = Set<Int>()
      while let c = queue.popLast() {
        for r in relationsOf[c] where seenRelations.insert(r).inserted {
          for t in relations[r] {
            if !hidden[t.cell] {
              candidates.insert(t.cell)
            } else if reached.insert(t.cell).inserted {
              queue.append(t.cell)
            }
          }
        }
      }
      let ordered = candidates.sorted { a, b in
        (entries[a].fixed ? 1 : 0, entries[a].value == 0 ? 1 : 0, entries[a].value, a)
          < (entries[b].fixed ? 1 : 0, entries[b].value == 0 ? 1 : 0, entries[b].value, b)
      }
      // Try them in that order: the first that gives the cell its five
      // values, else the one that widens it most (the first on a tie). A
      // count already published in an earlier pack is hidden only when
      // nothing else is related (another step can widen the cell later:
      // hiding a part of a sum that a visible total pins makes that total
      // the next to go).
      let fresh = ordered.filter { !entries[$0].fixed }
      var best: (cell: Int, width: Double)?
      for c in fresh.isEmpty ? ordered : fresh {
        var trial = hidden
        trial[c] = true
        let r = Self.ranges(
          values: entries.map(\.value), hidden: trial, published: entries.map(\.published), relations: relations,
          only: cell)[cell]!
        let width = r.upperBound - r.lowerBound
        if best.map({ width > $0.width + 1e-9 }) ?? true { best = (c, width) }
        if width >= minimumWidth - 1e-6 { break }
      }
      guard let pick = best?.cell else {
        // Nothing related is visible: the cell is pinned by the bounds alone
        // (the largest published count), which hiding more cannot widen.
        break
      }
      hidden[pick] = true
    }
    return ProtectedCells(
      names: entries.map(\.name), values: entries.map(\.value), hidden: hidden, published: entries.map(\.published),
      policy: policy)
  }

  /// The values each hidden cell can take given the visible cells and the
  /// relations: whole numbers from 0 to the largest published count. Keyed by cell.
  static func ranges(
    values: [Int], hidden: [Bool], published: [Bool], relations: [[(cell: Int, coefficient: Int)]], only: Int? = nil
  ) -> [Int: ClosedRange<Double>] {
    let ceiling = Double(values.indices.filter { !hidden[$0] && published[$0] }.map { values[$0] }.max() ?? 0)
    // Group the hidden cells into independent parts: two hidden cells are in
    // the same part when a relation links them.
    var parent = Array(values.indices)
    func find(_ x: Int) -> Int {
      var x = x
      while parent[x] != x {
        parent[x] = parent[parent[x]]
        x = parent[x]
      }
      return x
    }
    for terms in relations {
      let h = terms.map(\.cell).filter { hidden[$0] }
      for c in h.dropFirst() { parent[find(c)] = find(h[0]) }
    }
    var parts: [Int: [Int]] = [:]
    for c in values.indices where hidden[c] { parts[find(c), default: []].append(c) }
    var result: [Int: ClosedRange<Double>] = [:]
    for (root, cells) in parts.sorted(by: { $0.key < $1.key }) where only.map({ find($0) == root }) ?? true {
      let index = Dictionary(uniqueKeysWithValues: cells.enumerated().map { ($1, $0) })
      var rows: [[Double]] = []
      var rhs: [Double] = []
      for terms in relations where terms.contains(where: { index[$0.cell] != nil }) {
        var row = Array(repeating: 0.0, count: cells.count)
        var constant = 0.0
        for t in terms {
          if let i = index[t.cell] {
            row[i] += Double(t.coefficient)
          } else {
            constant += Double(t.coefficient * values[t.cell])
          }
        }
        rows.append(row)
        rhs.append(-constant)
      }
      let bounds = BoundedLP(
        variables: cells.count, rows: rows, rhs: rhs, upper: max(ceiling, cells.map { Double(values[$0]) }.max() ?? 0)
      ).ranges()
      for (i, c) in cells.enumerated() { result[c] = bounds[i] }
    }
    return result
  }
}

/// The published cells of a sheet.
public struct ProtectedCells: Sendable {
  let names: [String]
  let values: [Int]
  let hidden: [Bool]
  let published: [Bool]
  public let policy: SuppressionPolicy

  public func isHidden(_ c: DisclosureSheet.Cell) -> Bool { hidden[c.index] }
  /// The cell's name, as the pack's figures are recorded under it.
  public func name(_ c: DisclosureSheet.Cell) -> String { names[c.index] }
  public func value(_ c: DisclosureSheet.Cell) -> Int? { hidden[c.index] ? nil : values[c.index] }
  /// The exact count, for computing derived figures that are shown only when the cell is.
  public func count(_ c: DisclosureSheet.Cell) -> Int { values[c.index] }
  public func text(_ c: DisclosureSheet.Cell) -> String {
    hidden[c.index] ? policy.symbol : policy.shown(values[c.index])
  }
  /// Every published cell as name and text, in the order they were added.
  public var publishedCells: [(name: String, text: String)] {
    names.indices.filter { published[$0] }.map {
      (names[$0], hidden[$0] ? policy.symbol : policy.shown(values[$0]))
    }
  }
}

/// The least and greatest value of each variable of
/// { rows · x = rhs, 0 ≤ x ≤ upper }, by the simplex method (two phases,
/// Bland's rule so that degenerate problems cannot cycle).
struct BoundedLP {
  let variables: Int
  let rows: [[Double]]
  let rhs: [Double]
  let upper: Double

  func ranges() -> [ClosedRange<Double>] {
    let n = variables
    guard n > 0 else { return [] }
    if rows.isEmpty { return Array(repeating: 0...upper, count: n) }
    let m = rows.count
    // Columns: x (n), slack of x ≤ upper (n), artificial per equation (m), rhs.
    let width = 2 * n + m + 1
    var t: [[Double]] = []
    var basis: [Int] = []
    for (r, row) in rows.enumerated() {
      let flip = rhs[r] < 0 ? -1.0 : 1.0
      var line = Array(repeating: 0.0, count: width)
      for j in 0..<n { line[j] = row[j] * flip }
      line[2 * n + r] = 1
      line[width - 1] = rhs[r] * flip
      t.append(line)
      basis.append(2 * n + r)
    }
    for j in 0..<n {
      var line = Array(repeating: 0.0, count: width)
      line[j] = 1
      line[n + j] = 1
      line[width - 1] = upper
      t.append(line)
      basis.append(n + j)
    }
    // Phase 1: minimise the artificials.
    var cost = Array(repeating: 0.0, count: width - 1)
    for r in 0..<m { cost[2 * n + r] = 1 }
    Self.optimise(&t, &basis, cost: cost, allowed: width - 1)
    // Drive any artificial left in the basis out of it (its row is then redundant if it cannot be).
    for r in 0..<t.count where basis[r] >= 2 * n {
      if let j = (0..<(2 * n)).first(where: { abs(t[r][$0]) > 1e-9 }) { Self.pivot(&t, &basis, row: r, column: j) }
    }
    var result: [ClosedRange<Double>] = []
    for k in 0..<n {
      var low = 0.0
      var high = upper
      for sense in [1.0, -1.0] {
        var tt = t
        var bb = basis
        var c = Array(repeating: 0.0, count: width - 1)
        c[k] = sense  // minimise x_k, then minimise −x_k
        Self.optimise(&tt, &bb, cost: c, allowed: 2 * n)
        let v = bb.firstIndex(of: k).map { tt[$0][width - 1] } ?? 0
        if sense > 0 { low = v } else { high = v }
      }
      result.append(max(0, low)...max(max(0, low), high))
    }
    return result
  }

  /// Minimises cost · x over the tableau, entering only columns below `allowed`.
  static func optimise(_ t: inout [[Double]], _ basis: inout [Int], cost: [Double], allowed: Int) {
    let width = t[0].count
    for _ in 0..<10_000 {
      // Reduced costs.
      var entering: Int?
      for j in 0..<allowed where !basis.contains(j) {
        var d = cost[j]
        for r in t.indices where cost[basis[r]] != 0 { d -= cost[basis[r]] * t[r][j] }
        if d < -1e-9 {
          entering = j
          break
        }
      }
      guard let j = entering else { return }
      var leave: Int?
      var best = Double.infinity
      for r in t.indices where t[r][j] > 1e-9 {
        let ratio = t[r][width - 1] / t[r][j]
        if ratio < best - 1e-12 || (abs(ratio - best) <= 1e-12 && basis[r] < basis[leave!]) {
          best = ratio
          leave = r
        }
      }
      guard let r = leave else { return }  // unbounded: cannot happen with the bounds
      pivot(&t, &basis, row: r, column: j)
    }
  }

  static func pivot(_ t: inout [[Double]], _ basis: inout [Int], row r: Int, column j: Int) {
    let p = t[r][j]
    for k in t[r].indices { t[r][k] /= p }
    for i in t.indices where i != r && t[i][j] != 0 {
      let f = t[i][j]
      for k in t[i].indices where t[r][k] != 0 { t[i][k] -= f * t[r][k] }
    }
    basis[r] = j
  }
}
