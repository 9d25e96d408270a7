import Foundation

extension PackRenderer {
  /// A self-contained HTML page: inline CSS and SVG, no scripts, no network;
  /// prints on A4.
  public static func html(_ p: BoardPack, digest: String) -> String {
    var h = ""
    func w(_ s: String) { h += s + "\n" }
    w("<!DOCTYPE html>")
    w("<html lang=\"en-GB\"><head><meta charset=\"utf-8\">")
    w("<title>CME scrutiny board pack — \(esc(p.authority)) — \(p.meeting.date)</title>")
    w("<style>\(css)</style></head><body>")
    w("<header><p class=\"kicker\">\(esc(p.authority)) · Children missing education</p>")
    w("<h1>Scrutiny board pack</h1>")
    w(
      "<p class=\"meta\">Meeting \(p.meeting.id) · <strong>\(longDate(p.meeting.date))</strong> · Chair: \(esc(p.meeting.chair))\(p.meeting.attendees.isEmpty ? "" : " · Attending: " + esc(p.meeting.attendees.joined(separator: ", ")))</p>"
    )
    w(
      p.identifiable
        ? "<p class=\"banner danger\">IDENTIFIABLE — contains names, dates of birth and addresses of children. Special-category personal data: do not copy or forward.</p>"
        : "<p class=\"banner\">OFFICIAL-SENSITIVE · Anonymised: cases are shown by reference only.</p>")
    w("</header>")

    // Headline
    w("<section><h2>1. Headline</h2><div class=\"tiles\">")
    w(tile("Open cases", p.protect(p.openNow), "on \(p.meeting.date)"))
    w(tile("New", p.protect(p.newSince), p.sinceLabel))
    w(tile("Closed", p.protect(p.closedSince), p.sinceLabel))
    w(
      tile(
        "Median time to resolve", p.closedMedianDays.map { "\($0) days" } ?? "–",
        "cases closed in the last 12 months (\(p.protect(p.closedCount)))"))
    w("</div>")
    w(
      "<figure>\(lineChart(p))<figcaption>Open cases at each month end: the last 12 months, and the same months a year earlier.</figcaption></figure></section>"
    )

    // Breakdowns
    w("<section><h2>2. The register</h2><div class=\"grid\">")
    for b in p.breakdowns {
      w("<div class=\"card\"><h3>\(esc(b.title))</h3>")
      if let note = b.note { w("<p class=\"note\">\(esc(note))</p>") }
      if b.chart && b.table.columns.count == 1 { w(barChart(b.table)) }
      w(table(b.table))
      w("</div>")
    }
    w("</div><p class=\"line\">\(esc(p.cycleLine))</p></section>")

    // Equality
    w("<section class=\"break\"><h2>3. Equality</h2>")
    if p.baselineMissing {
      w(
        "<p class=\"banner\">No school-age population baseline is loaded, so shares of the population and ratios cannot be shown. Load one with <code>cme baseline import FILE.csv</code>.</p>"
      )
    } else {
      w(
        "<p class=\"note\">The children on the register set against the authority's school-age population. Ratio = share of the register ÷ share of the population (1 = in proportion), with a 95% confidence interval (Katz). Groups called out are over-represented by at least \(fmt(p.equalityThreshold))× with the whole interval above 1.</p>"
      )
      let callouts = p.callouts
      if !callouts.isEmpty {
        w(
          "<div class=\"callout\"><strong>Over-represented</strong><ul>"
            + callouts.map { "<li>\(esc($0))</li>" }.joined() + "</ul></div>")
      }
      w(
        "<figure>\(ratioChart(p))<figcaption>Disproportionality ratios with 95% confidence intervals; the line marks 1 (in proportion). Groups with hidden counts are not drawn.</figcaption></figure>"
      )
    }
    w(
      "<table><thead><tr><th>Group</th><th class=\"n\">On the register</th><th class=\"n\">Share of register</th><th class=\"n\">Share of population</th><th class=\"n\">Ratio</th><th class=\"n\">95% CI</th></tr></thead><tbody>"
    )
    for e in p.equality {
      let d = e.d
      let hidden = e.hidden
      let over = p.isCalledOut(e)
      w(
        "<tr\(over ? " class=\"over\"" : "")><td>\(esc(e.characteristic)): \(esc(d.group))</td><td class=\"n\">\(esc(e.hidden ? p.hiddenText(d.registerCount) : p.policy.shown(d.registerCount)))</td><td class=\"n\">\(hidden ? "–" : pct(d.registerShare))</td><td class=\"n\">\(pct(d.populationShare))</td><td class=\"n\">\(hidden ? "–" : d.ratio.map(fmt) ?? "–")</td><td class=\"n\">\(hidden ? "–" : d.interval.map { "\(fmt($0.lowerBound))–\(fmt($0.upperBound))" } ?? "–")</td></tr>"
      )
    }
    w("</tbody></table></section>")

    // Decisions
    w("<section><h2>4. Previous decisions</h2>")
    if p.previousDecisions.isEmpty {
      w("<p>No decisions from earlier meetings.</p>")
    } else {
      w("<table><thead><tr><th>Case</th><th>Decision</th><th>Note</th><th>Carried out?</th></tr></thead><tbody>")
      for d in p.previousDecisions {
        w(
          "<tr><td>\(esc(d.reference))</td><td>\(esc(d.decision))</td><td>\(esc(d.note))</td><td>\(esc(d.carriedOut))</td></tr>"
        )
      }
      w("</tbody></table>")
    }
    w("</section>")

    // Agenda
    w(
      "<section class=\"break\"><h2>5. Agenda</h2><p class=\"note\">\(p.agendaTotal) case\(p.agendaTotal == 1 ? "" : "s") on the agenda\(p.agendaTotal > p.agenda.count ? "; the \(p.agenda.count) most urgent are summarised here, the rest are listed by <code>cme board agenda \(p.meeting.id)</code>" : "").</p>"
    )
    for a in p.agenda {
      w(
        "<article class=\"case \(a.rag?.rawValue ?? "none")\"><h3><span class=\"rag\">\(a.rag?.rawValue.uppercased() ?? "—")</span> \(esc(a.reference))</h3>"
      )
      if let id = a.identity { w("<p class=\"identity\">\(esc(id))</p>") }
      w(
        "<dl><dt>On the agenda</dt><dd>\(esc(a.reasons))</dd><dt>Suggested \(a.suggestion.rating.rawValue)</dt><dd>\(esc(a.suggestion.summary))</dd>"
      )
      w(
        "<dt>Open</dt><dd>\(a.daysOpen) days; school days missing: \(a.schoolDaysMissing.map(String.init) ?? "not known")</dd><dt>Last contact</dt><dd>\(esc(a.lastContact))</dd>"
      )
      w("<dt>Actions</dt><dd>\(esc(a.actions))</dd><dt>Clocks</dt><dd>\(esc(a.clocks))</dd></dl></article>")
    }
    w("</section>")

    w(
      "<footer><p><strong>Provenance.</strong> Built from the register as of audit entry \(p.logSequence) (head hash <code>\(p.logHash)</code>), for the meeting date \(p.meeting.date). Data digest (SHA-256): <code>\(digest)</code>. The same register state gives a byte-identical pack; <code>cme audit verify</code> checks the log.</p>"
    )
    w("<p><strong>Small numbers.</strong> \(esc(p.policy.statement))</p></footer>")
    w("</body></html>")
    return h
  }

  static let css = """
    @page{size:A4;margin:16mm 14mm}
    *{box-sizing:border-box}
    body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#1d2733;margin:0 auto;max-width:1060px;padding:24px;line-height:1.4;font-size:14px}
    header{border-bottom:4px solid #1d4e89;margin-bottom:18px}
    .kicker{text-transform:uppercase;letter-spacing:.08em;color:#1d4e89;font-weight:bold;margin:0}
    h1{font-size:30px;margin:4px 0}
    h2{font-size:20px;color:#1d4e89;border-bottom:1px solid #c9d3df;padding-bottom:4px;margin-top:28px}
    h3{font-size:15px;margin:0 0 8px}
    .meta{color:#4a5868}
    .banner{background:#eef3f8;border-left:6px solid #1d4e89;padding:8px 12px}
    .banner.danger{background:#fde8e8;border-color:#b10e1e;font-weight:bold}
    .tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}
    .tile{background:#f4f7fa;border-radius:6px;padding:12px}
    .tile .v{font-size:30px;font-weight:bold;color:#1d4e89}
    .tile .l{font-weight:bold}
    .tile .s{color:#5a6878;font-size:12px}
    .grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:14px}
    .card{border:1px solid #d5dde6;border-radius:6px;padding:12px;break-inside:avoid}
    table{border-collapse:collapse;width:100%;margin:8px 0;font-size:13px}
    th,td{border-bottom:1px solid #e1e7ee;padding:4px 6px;text-align:left;vertical-align:top}
    th{background:#f4f7fa}
    td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    tr.total td{font-weight:bold;border-top:2px solid #9aa8b8}
    tr.over td{background:#fff4e5}
    .note{color:#4a5868;font-size:13px}
    .line{font-weight:bold}
    .callout{background:#fff4e5;border-left:6px solid #d9822b;padding:8px 12px;margin:10px 0}
    figure{margin:10px 0}
    figcaption{font-size:12px;color:#5a6878}
    svg text{font-family:"DejaVu Sans",Arial,sans-serif}
    article.case{border:1px solid #d5dde6;border-left:8px solid #9aa8b8;border-radius:6px;padding:10px 12px;margin:10px 0;break-inside:avoid}
    article.red{border-left-color:#b10e1e}
    article.amber{border-left-color:#d9822b}
    article.green{border-left-color:#2e7d32}
    .rag{display:inline-block;font-size:11px;padding:2px 6px;border-radius:3px;background:#9aa8b8;color:#fff;margin-right:6px}
    .red .rag{background:#b10e1e}.amber .rag{background:#d9822b}.green .rag{background:#2e7d32}
    dl{display:grid;grid-template-columns:150px 1fr;gap:2px 10px;margin:0}
    dt{color:#4a5868}dd{margin:0}
    .identity{font-weight:bold;color:#b10e1e}
    footer{margin-top:30px;border-top:1px solid #c9d3df;font-size:12px;color:#4a5868}
    code{font-size:11px;word-break:break-all}
    @media print{body{padding:0;max-width:none;font-size:11px}.break{break-before:page}.tiles{grid-template-columns:repeat(4,1fr)}h2{break-after:avoid}}
    """

  public static func esc(_ s: String) -> String {
    var out = ""
    for c in s {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(c)
      }
    }
    return out
  }

  static func longDate(_ d: LocalDate) -> String {
    let months = [
      "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
      "December",
    ]
    return "\(d.day) \(months[d.month - 1]) \(d.year)"
  }

  static func tile(_ label: String, _ value: String, _ sub: String) -> String {
    "<div class=\"tile\"><div class=\"l\">\(esc(label))</div><div class=\"v\">\(esc(value))</div><div class=\"s\">\(esc(sub))</div></div>"
  }

  static func table(_ t: ProtectedTable) -> String {
    var h = "<table><thead><tr><th></th>"
    let multi = t.columns.count > 1
    h +=
      (multi ? t.columns + ["total"] : ["count"]).map { "<th class=\"n\">\(esc($0))</th>" }.joined()
      + "</tr></thead><tbody>"
    for r in 0...t.rows.count {
      let name = r == t.rows.count ? "Total" : t.rows[r]
      h += "<tr\(r == t.rows.count ? " class=\"total\"" : "")><td>\(esc(name))</td>"
      let cols = multi ? Array(0...t.columns.count) : [0]
      h += cols.map { "<td class=\"n\">\(esc(t.text(row: r, column: $0)))</td>" }.joined() + "</tr>"
    }
    return h + "</tbody></table>"
  }

  /// Horizontal bars; a hidden count is drawn as an outline marked with the policy's symbol.
  static func barChart(_ t: ProtectedTable) -> String {
    let n = t.rows.count
    let width = 460
    let rowH = 22
    let left = 190
    let height = n * rowH + 8
    let maxV = Swift.max(1, (0..<n).compactMap { t.value(row: $0) }.max() ?? 1)
    var s =
      "<svg viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"bar chart\" xmlns=\"http://www.w3.org/2000/svg\">"
    for r in 0..<n {
      let y = 4 + r * rowH
      let label = t.rows[r].count > 30 ? String(t.rows[r].prefix(29)) + "…" : t.rows[r]
      s += "<text x=\"\(left - 6)\" y=\"\(y + 15)\" font-size=\"11\" text-anchor=\"end\">\(esc(label))</text>"
      if let v = t.value(row: r) {
        let bw = Int(Double(width - left - 60) * Double(v) / Double(maxV))
        let color = barColor(t.rows[r])
        s +=
          "<rect x=\"\(left)\" y=\"\(y + 3)\" width=\"\(Swift.max(bw, v > 0 ? 2 : 0))\" height=\"\(rowH - 8)\" fill=\"\(color)\"/>"
        s += "<text x=\"\(left + bw + 4)\" y=\"\(y + 15)\" font-size=\"11\">\(esc(t.text(row: r, column: 0)))</text>"
      } else {
        s +=
          "<rect x=\"\(left)\" y=\"\(y + 3)\" width=\"12\" height=\"\(rowH - 8)\" fill=\"none\" stroke=\"#9aa8b8\" stroke-dasharray=\"2 2\"/>"
        s +=
          "<text x=\"\(left + 16)\" y=\"\(y + 15)\" font-size=\"11\" fill=\"#5a6878\">\(esc(t.text(row: r, column: 0)))</text>"
      }
    }
    return s + "</svg>"
  }

  static func barColor(_ name: String) -> String {
    switch name.lowercased() {
    case "red": "#b10e1e"
    case "amber": "#d9822b"
    case "green": "#2e7d32"
    default: "#3c78b5"
    }
  }

  static func lineChart(_ p: BoardPack) -> String {
    let width = 900
    let height = 240
    let left = 50
    let right = 20
    let top = 14
    let bottom = 40
    let points = p.trend
    guard points.count > 1 else { return "" }
    // Four gridlines at a round step: 1, 2, 2.5 or 5 times a power of ten.
    let peak = Swift.max(4, points.flatMap { [$0.open, $0.lastYear] }.max() ?? 4)
    let power = pow(10, floor(log10(Double(peak) / 4)))
    let tick = [1.0, 2, 2.5, 5, 10].map { $0 * power }.first { $0 * 4 >= Double(peak) } ?? 10 * power
    let maxV = Swift.max(4, Int((tick * 4).rounded(.up)))
    let step = Double(width - left - right) / Double(points.count - 1)
    func x(_ i: Int) -> Int { left + Int(Double(i) * step) }
    func y(_ v: Int) -> Int { top + Int(Double(height - top - bottom) * (1 - Double(v) / Double(maxV))) }
    var s =
      "<svg viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"trend of open cases\" xmlns=\"http://www.w3.org/2000/svg\">"
    for k in 0...4 {
      let v = maxV * k / 4
      s +=
        "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(v))\" y2=\"\(y(v))\" stroke=\"#e1e7ee\"/><text x=\"\(left - 6)\" y=\"\(y(v) + 4)\" font-size=\"11\" text-anchor=\"end\">\(v)</text>"
    }
    for (i, t) in points.enumerated() {
      s +=
        "<text x=\"\(x(i))\" y=\"\(height - bottom + 16)\" font-size=\"10\" text-anchor=\"middle\">\(esc(t.month))</text>"
    }
    let last = points.indices.map { "\(x($0)),\(y(points[$0].lastYear))" }.joined(separator: " ")
    let now = points.indices.map { "\(x($0)),\(y(points[$0].open))" }.joined(separator: " ")
    s += "<polyline points=\"\(last)\" fill=\"none\" stroke=\"#9aa8b8\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>"
    s += "<polyline points=\"\(now)\" fill=\"none\" stroke=\"#1d4e89\" stroke-width=\"3\"/>"
    for (i, t) in points.enumerated() { s += "<circle cx=\"\(x(i))\" cy=\"\(y(t.open))\" r=\"3\" fill=\"#1d4e89\"/>" }
    s +=
      "<g font-size=\"12\"><rect x=\"\(left + 10)\" y=\"\(height - 16)\" width=\"18\" height=\"3\" fill=\"#1d4e89\"/><text x=\"\(left + 34)\" y=\"\(height - 11)\">last 12 months</text>"
    s +=
      "<rect x=\"\(left + 160)\" y=\"\(height - 16)\" width=\"18\" height=\"3\" fill=\"#9aa8b8\"/><text x=\"\(left + 184)\" y=\"\(height - 11)\">same months a year earlier</text></g>"
    return s + "</svg>"
  }

  static func ratioChart(_ p: BoardPack) -> String {
    var drawn = Set<String>()
    let rows = p.equality.filter {
      !$0.hidden && $0.d.ratio != nil && $0.d.interval != nil
        && !["Refused", "Information not yet obtained"].contains($0.d.group)
        && drawn.insert($0.d.group).inserted
    }
    guard !rows.isEmpty else { return "" }
    let width = 900
    let rowH = 20
    let left = 280
    let right = 30
    let height = rows.count * rowH + 30
    let maxX = Swift.min(20, Swift.max(3, rows.compactMap { $0.d.interval?.upperBound }.max() ?? 3))
    func x(_ v: Double) -> Int { left + Int(Double(width - left - right) * Swift.min(v, maxX) / maxX) }
    var s =
      "<svg viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"disproportionality ratios\" xmlns=\"http://www.w3.org/2000/svg\">"
    s +=
      "<line x1=\"\(x(1))\" x2=\"\(x(1))\" y1=\"0\" y2=\"\(height - 20)\" stroke=\"#5a6878\" stroke-dasharray=\"4 3\"/>"
    for k in 0...Int(maxX) where Int(maxX) <= 10 || k % 2 == 0 {
      s += "<text x=\"\(x(Double(k)))\" y=\"\(height - 6)\" font-size=\"10\" text-anchor=\"middle\">\(k)</text>"
    }
    for (i, row) in rows.enumerated() {
      let y = 10 + i * rowH
      let d = row.d
      let color = p.isCalledOut(row) ? "#d9822b" : "#1d4e89"
      s += "<text x=\"\(left - 8)\" y=\"\(y + 4)\" font-size=\"11\" text-anchor=\"end\">\(esc(d.group))</text>"
      if let ci = d.interval, let r = d.ratio {
        s +=
          "<line x1=\"\(x(ci.lowerBound))\" x2=\"\(x(ci.upperBound))\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"\(color)\" stroke-width=\"2\"/>"
        s += "<circle cx=\"\(x(r))\" cy=\"\(y)\" r=\"4\" fill=\"\(color)\"/>"
      }
    }
    return s + "</svg>"
  }
}
