import Foundation

/// The pack's charts, as inline SVG drawn from protected values only: a
/// hidden count is a gap or an outline marked with the symbol, never a
/// coordinate, and no scale is set by a hidden count. Colours are from the
/// Okabe–Ito palette, which survives colour-blind viewing, and every series
/// also differs by line style or marker shape, so that it survives printing
/// in black and white.
extension PackRenderer {
  static let blue = "#0072B2"
  static let vermillion = "#D55E00"
  static let grey = "#6b6b6b"

  /// Splits a label into lines of at most `width` characters, at spaces.
  static func wrap(_ s: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in s.split(separator: " ") {
      if !line.isEmpty && line.count + 1 + word.count > width {
        lines.append(line)
        line = ""
      }
      line += line.isEmpty ? String(word) : " " + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines.isEmpty ? [""] : lines
  }

  /// A round axis step giving about four intervals up to `peak`.
  static func niceMax(_ peak: Int) -> (max: Int, step: Int) {
    let peak = max(4, peak)
    let power = pow(10, floor(log10(Double(peak) / 4)))
    let step = [1.0, 2, 2.5, 5, 10].map { $0 * power }.first { $0 * 4 >= Double(peak) } ?? 10 * power
    let s = max(1, Int(step.rounded(.up)))
    return (s * 4, s)
  }

  /// Horizontal bars with the labels in full (wrapped) and an axis titled
  /// with what is counted; a hidden count is an outline marked with the symbol.
  static func barChart(_ b: BoardPack.Breakdown, policy: SuppressionPolicy) -> String {
    let t = b.table
    let n = t.rows.count
    let labels = t.rows.map { wrap($0, width: 26) }
    let width = 460
    let left = 170
    let right = 50
    let top = 4
    let heights = labels.map { max(20, $0.count * 13 + 7) }
    let bottom = 34
    let height = top + heights.reduce(0, +) + bottom
    let scale = niceMax((0..<n).compactMap { t.value(row: $0) }.max() ?? 4)
    func x(_ v: Int) -> Int { left + Int(Double(width - left - right) * Double(v) / Double(scale.max)) }
    var s =
      "<svg viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"\(esc(b.title)): bar chart of \(esc(b.unit))\" xmlns=\"http://www.w3.org/2000/svg\">"
    let axisY = height - bottom
    for k in 0...4 {
      let v = scale.step * k
      s +=
        "<line x1=\"\(x(v))\" x2=\"\(x(v))\" y1=\"\(top)\" y2=\"\(axisY)\" stroke=\"#e1e7ee\"/><text x=\"\(x(v))\" y=\"\(axisY + 12)\" font-size=\"10\" text-anchor=\"middle\">\(v)</text>"
    }
    s +=
      "<text x=\"\(left + (width - left - right) / 2)\" y=\"\(height - 6)\" font-size=\"11\" text-anchor=\"middle\" font-weight=\"bold\">\(esc(b.unit))</text>"
    var y = top
    for r in 0..<n {
      let h = heights[r]
      let mid = y + h / 2
      let lines = labels[r]
      for (i, line) in lines.enumerated() {
        let ly = mid + 4 - (lines.count - 1) * 13 / 2 + i * 13
        s += "<text x=\"\(left - 6)\" y=\"\(ly)\" font-size=\"11\" text-anchor=\"end\">\(esc(line))</text>"
      }
      if let v = t.value(row: r) {
        let bw = x(v) - left
        s +=
          "<rect x=\"\(left)\" y=\"\(mid - 7)\" width=\"\(max(bw, v > 0 ? 2 : 0))\" height=\"14\" fill=\"\(blue)\"/>"
        s += "<text x=\"\(left + bw + 4)\" y=\"\(mid + 4)\" font-size=\"11\">\(esc(t.text(row: r, column: 0)))</text>"
      } else {
        s +=
          "<rect x=\"\(left)\" y=\"\(mid - 7)\" width=\"12\" height=\"14\" fill=\"none\" stroke=\"\(grey)\" stroke-dasharray=\"2 2\"/>"
        s += "<text x=\"\(left + 16)\" y=\"\(mid + 4)\" font-size=\"11\" fill=\"\(grey)\">\(esc(policy.symbol))</text>"
      }
      y += h
    }
    return s + "</svg>"
  }

  /// Open cases at month ends, with the same months a year earlier; hidden
  /// months are gaps, and the scale is set by the shown counts only.
  static func trendChart(_ p: BoardPack) -> String {
    let width = 900
    let height = 250
    let left = 64
    let right = 20
    let top = 12
    let bottom = 62
    let points = p.trend
    guard points.count > 1 else { return "" }
    let shown = points.flatMap { [p.value($0.open), p.value($0.lastYear)] }.compactMap { $0 }
    let scale = niceMax(shown.max() ?? 4)
    let step = Double(width - left - right) / Double(points.count - 1)
    func x(_ i: Int) -> Int { left + Int(Double(i) * step) }
    func y(_ v: Int) -> Int { top + Int(Double(height - top - bottom) * (1 - Double(v) / Double(scale.max))) }
    var s =
      "<svg viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"Open cases at each month end, this year and a year earlier\" xmlns=\"http://www.w3.org/2000/svg\">"
    for k in 0...4 {
      let v = scale.step * k
      s +=
        "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(v))\" y2=\"\(y(v))\" stroke=\"#e1e7ee\"/><text x=\"\(left - 6)\" y=\"\(y(v) + 4)\" font-size=\"11\" text-anchor=\"end\">\(v)</text>"
    }
    let plotMid = top + (height - top - bottom) / 2
    s +=
      "<text x=\"14\" y=\"\(plotMid)\" font-size=\"11\" font-weight=\"bold\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(plotMid))\">open cases</text>"
    for (i, t) in points.enumerated() {
      s +=
        "<text x=\"\(x(i))\" y=\"\(height - bottom + 15)\" font-size=\"10\" text-anchor=\"middle\">\(esc(t.month))</text>"
    }
    s +=
      "<text x=\"\(left + (width - left - right) / 2)\" y=\"\(height - bottom + 31)\" font-size=\"11\" font-weight=\"bold\" text-anchor=\"middle\">month end</text>"
    // Each series as runs of shown months: a hidden month breaks the line.
    func runs(_ values: [Int?]) -> [[(Int, Int)]] {
      var all: [[(Int, Int)]] = []
      var run: [(Int, Int)] = []
      for (i, v) in values.enumerated() {
        if let v {
          run.append((x(i), y(v)))
        } else if !run.isEmpty {
          all.append(run)
          run = []
        }
      }
      if !run.isEmpty { all.append(run) }
      return all
    }
    for run in runs(points.map { p.value($0.lastYear) }) {
      s +=
        "<polyline points=\"\(run.map { "\($0.0),\($0.1)" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(grey)\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>"
      for pt in run {
        s += "<rect x=\"\(pt.0 - 3)\" y=\"\(pt.1 - 3)\" width=\"6\" height=\"6\" fill=\"#fff\" stroke=\"\(grey)\"/>"
      }
    }
    for run in runs(points.map { p.value($0.open) }) {
      s +=
        "<polyline points=\"\(run.map { "\($0.0),\($0.1)" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(blue)\" stroke-width=\"3\"/>"
      for pt in run { s += "<circle cx=\"\(pt.0)\" cy=\"\(pt.1)\" r=\"3.5\" fill=\"\(blue)\"/>" }
    }
    for (i, t) in points.enumerated() where p.value(t.open) == nil {
      s +=
        "<text x=\"\(x(i))\" y=\"\(height - bottom - 4)\" font-size=\"10\" text-anchor=\"middle\" fill=\"\(grey)\">\(esc(p.policy.symbol))</text>"
    }
    let ly = height - 10
    s +=
      "<g font-size=\"11\"><line x1=\"\(left)\" x2=\"\(left + 26)\" y1=\"\(ly - 4)\" y2=\"\(ly - 4)\" stroke=\"\(blue)\" stroke-width=\"3\"/><text x=\"\(left + 32)\" y=\"\(ly)\">last 12 months</text>"
    s +=
      "<line x1=\"\(left + 160)\" x2=\"\(left + 186)\" y1=\"\(ly - 4)\" y2=\"\(ly - 4)\" stroke=\"\(grey)\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/><text x=\"\(left + 192)\" y=\"\(ly)\">the same months a year earlier</text></g>"
    return s + "</svg>"
  }

  /// Ratios with their intervals on a log scale, one small chart per
  /// characteristic (so that a page break falls between them), each group
  /// once, all on the same scale; called-out groups as vermillion diamonds,
  /// groups whose interval is above 1 as filled blue circles, the rest as
  /// hollow circles.
  static func ratioChart(_ p: BoardPack) -> String {
    var drawn = Set<String>()
    let rows = p.equality.filter {
      !p.cells.isHidden($0.cell) && !$0.dataQuality && $0.d.ratio != nil && $0.d.interval != nil
        && drawn.insert($0.d.group).inserted
    }
    guard !rows.isEmpty else { return "" }
    var groups: [(String, [BoardPack.EqualityRow])] = []
    for r in rows {
      if groups.last?.0 == r.characteristic {
        groups[groups.count - 1].1.append(r)
      } else {
        groups.append((r.characteristic, [r]))
      }
    }
    let ticks = [0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]
    let low = rows.compactMap { $0.d.interval?.lowerBound }.min() ?? 0.5
    let high = rows.compactMap { $0.d.interval?.upperBound }.max() ?? 2
    let from = ticks.last { $0 <= min(low, 0.5) } ?? 0.125
    let to = ticks.first { $0 >= max(high, 2) } ?? 64
    var out = ""
    for (n, (characteristic, members)) in groups.enumerated() {
      out += ratioPanel(
        p, title: characteristic, rows: members, ticks: ticks.filter { $0 >= from && $0 <= to }, from: from, to: to,
        legend: n == groups.count - 1)
    }
    return out
  }

  static func ratioPanel(
    _ p: BoardPack, title: String, rows: [BoardPack.EqualityRow], ticks: [Double], from: Double, to: Double,
    legend: Bool
  ) -> String {
    let width = 900
    let rowH = 16
    let left = 290
    let right = 30
    let top = 20
    let axisY = top + rows.count * rowH + 4
    let height = axisY + 30 + (legend ? 36 : 0)
    func x(_ v: Double) -> Int {
      let c = min(max(v, from), to)
      return left + Int(Double(width - left - right) * (log(c) - log(from)) / (log(to) - log(from)))
    }
    var s =
      "<svg viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"\(esc(title)): disproportionality ratios with 95% confidence intervals, log scale\" xmlns=\"http://www.w3.org/2000/svg\" class=\"ratio\">"
    s += "<text x=\"8\" y=\"14\" font-size=\"12\" font-weight=\"bold\">\(esc(title))</text>"
    for t in ticks {
      s +=
        "<line x1=\"\(x(t))\" x2=\"\(x(t))\" y1=\"\(top)\" y2=\"\(axisY)\" stroke=\"\(t == 1 ? "#333" : "#e1e7ee")\"\(t == 1 ? " stroke-dasharray=\"4 3\"" : "")/>"
      s +=
        "<text x=\"\(x(t))\" y=\"\(axisY + 13)\" font-size=\"10\" text-anchor=\"middle\">\(t < 1 ? String(format: "%g", t) : String(Int(t)))×</text>"
    }
    s +=
      "<text x=\"\(left + (width - left - right) / 2)\" y=\"\(axisY + 27)\" font-size=\"10\" text-anchor=\"middle\">ratio: share of the register ÷ share of the school-age population (log scale; 1× = in proportion)</text>"
    for (i, row) in rows.enumerated() {
      let y = top + i * rowH + rowH / 2
      guard let ci = row.d.interval, let r = row.d.ratio else { continue }
      let calledOut = p.isCalledOut(row)
      let above = ci.lowerBound > 1
      let colour = calledOut ? vermillion : above ? blue : grey
      s += "<text x=\"\(left - 8)\" y=\"\(y + 4)\" font-size=\"11\" text-anchor=\"end\">\(esc(row.d.group))</text>"
      s +=
        "<line x1=\"\(x(ci.lowerBound))\" x2=\"\(x(ci.upperBound))\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
      let cx = x(r)
      if calledOut {
        s += "<path d=\"M\(cx) \(y - 6)L\(cx + 6) \(y)L\(cx) \(y + 6)L\(cx - 6) \(y)Z\" fill=\"\(colour)\"/>"
      } else if above {
        s += "<circle cx=\"\(cx)\" cy=\"\(y)\" r=\"4.5\" fill=\"\(colour)\"/>"
      } else {
        s += "<circle cx=\"\(cx)\" cy=\"\(y)\" r=\"4\" fill=\"#fff\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>"
      }
    }
    if legend {
      let ly = height - 10
      s +=
        "<g font-size=\"11\"><path d=\"M\(left) \(ly - 10)L\(left + 6) \(ly - 4)L\(left) \(ly + 2)L\(left - 6) \(ly - 4)Z\" fill=\"\(vermillion)\"/><text x=\"\(left + 12)\" y=\"\(ly)\">over-represented (≥ \(fmt(p.equalityThreshold))×, interval above 1)</text>"
      s +=
        "<circle cx=\"\(left + 330)\" cy=\"\(ly - 4)\" r=\"4.5\" fill=\"\(blue)\"/><text x=\"\(left + 340)\" y=\"\(ly)\">interval above 1</text><circle cx=\"\(left + 470)\" cy=\"\(ly - 4)\" r=\"4\" fill=\"#fff\" stroke=\"\(grey)\" stroke-width=\"1.5\"/><text x=\"\(left + 480)\" y=\"\(ly)\">other groups</text></g>"
    }
    return s + "</svg>"
  }
}
